/**
 * Roomkeeper's own WebSocket (RFC 6455) server side, on the socket Tomcat hands over
 * after the HTTP upgrade: the handshake checks and the {@code 101} answer
 * ({@link dev.roomkeeper.live.websocket.WebSocketHandshake}), the upgrade handler Tomcat
 * calls ({@link dev.roomkeeper.live.websocket.WebSocketUpgradeHandler}), frame decoding
 * and encoding, and a connection ({@link dev.roomkeeper.live.websocket.WebSocket}) whose
 * sends never block and never wait for another thread.
 * <p>
 * <b>Tomcat only.</b> The layer uses Tomcat's internal upgrade API
 * ({@code org.apache.coyote.http11.upgrade.InternalHttpUpgradeHandler} and
 * {@code org.apache.tomcat.util.net.SocketWrapperBase}), not a servlet standard, so it
 * runs on the embedded Tomcat only and may need changes when Tomcat's version moves (the
 * Spring Boot parent in {@code pom.xml} manages it).
 * {@link dev.roomkeeper.live.websocket.TomcatUpgradeCheck} stops start-up with a clear
 * message on another container or when that API is missing or changed.
 * <p>
 * Why not the container's JSR-356 WebSocket: it keeps several buffers and objects per
 * connection and copies every outbound message through them, which was most of the memory
 * and CPU a live connection cost (64–80 KiB per connection in the live benchmark). Here a
 * frame is encoded once and the same bytes are written to every subscriber. A whole live
 * connection, Tomcat's socket with its 256 and 512 byte buffers and the WebSocket and
 * STOMP state included, measured 7.1-7.5 KiB of RSS with 19,000 idle connections at
 * {@code -Xmx512m}, 6.3 KiB with the container image's JVM options in 512 MB
 * (docs/deploy.md). No extension (such as permessage-deflate) is negotiated.
 */
package dev.roomkeeper.live.websocket;
