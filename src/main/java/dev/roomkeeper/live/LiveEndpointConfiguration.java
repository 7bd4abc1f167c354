package dev.roomkeeper.live;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.catalina.connector.Connector;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.roomkeeper.live.websocket.PollerReads;
import dev.roomkeeper.live.websocket.TomcatUpgradeCheck;
import dev.roomkeeper.room.RoomProperties;

/**
 * STOMP 1.2 over plain WebSocket at {@code /ws} (no SockJS), served by
 * {@link StompEndpoint} on Roomkeeper's own WebSocket layer
 * ({@link dev.roomkeeper.live.websocket}) rather than the container's.
 */
@Configuration(proxyBeanMethods = false)
class LiveEndpointConfiguration {

	/**
	 * Tomcat's per-connection socket buffers (8 KiB each by default). A live connection
	 * keeps them for its whole life, so they were most of what an idle connection cost.
	 * Neither is on a live connection's busy path: Tomcat reads straight into a larger
	 * buffer when it is given one (the WebSocket layer's, and HTTP's header buffer), and
	 * {@link dev.roomkeeper.live.websocket} writes frames straight to a plain socket.
	 * What still goes through them is HTTP answers (a 4 KiB answer takes 8 system calls)
	 * and the part of a frame that a slow client's socket did not take. 256 and 512 bytes
	 * instead of 1 KiB each saved ~1 KiB of RSS per idle connection (19,000 connections:
	 * 397-406 MiB instead of 421-423 MiB).
	 */
	static final int SOCKET_READ_BUFFER_BYTES = 256;

	static final int SOCKET_WRITE_BUFFER_BYTES = 512;

	@Bean
	ServletRegistrationBean<StompEndpoint> stompEndpoint(LiveContext context, RoomProperties properties) {
		ServletRegistrationBean<StompEndpoint> registration = new ServletRegistrationBean<>(
				new StompEndpoint(context, properties.getAllowedOrigins()), "/ws");
		registration.setName("roomkeeper-live");
		registration.setLoadOnStartup(1);
		return registration;
	}

	/** Stops start-up with a clear message when the servlet container is not Tomcat. */
	@Bean
	ServletContextInitializer tomcatUpgradeCheck() {
		return TomcatUpgradeCheck.servletContextCheck();
	}

	/**
	 * Tomcat's request threads, with live connections' reads on the poller thread when
	 * {@code rooms.live.read-on-poller} applies ({@link PollerReads}); Tomcat's own pool
	 * otherwise.
	 */
	@Bean
	PollerReadsInstaller pollerReads(RoomProperties properties) {
		boolean on = properties.getLive()
			.getReadOnPoller()
			.appliesTo(properties.getStore().getType(), Runtime.getRuntime().availableProcessors());
		return new PollerReadsInstaller(on);
	}

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> liveSocketBuffers() {
		return (factory) -> factory.addConnectorCustomizers(LiveEndpointConfiguration::smallSocketBuffers);
	}

	private static void smallSocketBuffers(Connector connector) {
		connector.setProperty("socket.appReadBufSize", Integer.toString(SOCKET_READ_BUFFER_BYTES));
		connector.setProperty("socket.appWriteBufSize", Integer.toString(SOCKET_WRITE_BUFFER_BYTES));
	}

	/**
	 * Installs {@link PollerReads} on the connector when asked to, and shuts that pool
	 * down once the context closes (after the web server has stopped: Tomcat stops only
	 * the pools it created itself).
	 */
	static final class PollerReadsInstaller
			implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, DisposableBean {

		private final boolean on;

		private final List<PollerReads> pools = new CopyOnWriteArrayList<>();

		PollerReadsInstaller(boolean on) {
			this.on = on;
		}

		@Override
		public void customize(TomcatServletWebServerFactory factory) {
			if (this.on) {
				factory.addConnectorCustomizers((connector) -> this.pools.add(PollerReads.install(connector)));
			}
		}

		@Override
		public void destroy() {
			this.pools.forEach(PollerReads::shutdownNow);
		}

	}

}
