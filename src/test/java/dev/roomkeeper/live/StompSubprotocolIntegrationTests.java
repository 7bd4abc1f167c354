package dev.roomkeeper.live;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import dev.roomkeeper.support.MemoryStoreServerTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handshake picks one of the STOMP subprotocols a client offers: browsers refuse a
 * handshake that offered subprotocols (stomp.js always offers v10, v11 and v12) when the
 * server picks none.
 */
@MemoryStoreServerTest
class StompSubprotocolIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void handshakeWhenStompSubprotocolsOfferedThenOneIsSelected() throws Exception {
		WebSocket socket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.subprotocols("v12.stomp", "v11.stomp", "v10.stomp")
			.buildAsync(URI.create("ws://localhost:" + this.port + "/ws"), new WebSocket.Listener() {
			})
			.get(10, TimeUnit.SECONDS);
		try {
			assertThat(socket.getSubprotocol()).isEqualTo("v12.stomp");
		}
		finally {
			socket.abort();
		}
	}

}
