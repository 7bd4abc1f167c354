/**
 * Roomkeeper's own WebSocket (RFC 6455) server side, on the socket Tomcat hands over
 * after the HTTP upgrade: the handshake
 * ({@link dev.roomkeeper.live.websocket.WebSocketServlet}), frame decoding and encoding,
 * and a connection ({@link dev.roomkeeper.live.websocket.WebSocket}) whose sends never
 * block and never wait for another thread.
 * <p>
 * Why not the container's JSR-356 WebSocket: it keeps several buffers and objects per
 * connection and copies every outbound message through them, which is most of the memory
 * and CPU a live connection costs. Here a frame is encoded once and the same bytes are
 * written to every subscriber, and a connection costs a few hundred bytes beyond Tomcat's
 * own socket buffers. No extension (such as permessage-deflate) is negotiated.
 */
package dev.roomkeeper.live.websocket;
