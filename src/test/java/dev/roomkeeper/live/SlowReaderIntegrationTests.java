package dev.roomkeeper.live;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that falls behind and then catches up, with the server's socket send buffers
 * fixed small (the kernel would otherwise grow them to megabytes on loopback) so that
 * writes stop part-way through frames and the rest waits in the server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=memory", "rooms.limits.failed-joins-per-minute=100000" })
@Import(SlowReaderIntegrationTests.SmallServerSendBuffers.class)
class SlowReaderIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void aClientThatFallsBehindThenReadsGetsEveryMessageWholeAndInOrder() {
		ApiClient api = new ApiClient(this.port);
		CreatedRoom room = api.createRoom();
		JoinedMember ann = api.join(room.code(), "Ann");
		String filler = "f".repeat(3_000);
		int patches = 150;
		try (RawWebSocket behind = RawWebSocket.open(this.port, Map.of(), 1024)) {
			behind.sendText("CONNECT\naccept-version:1.2\ntoken:" + ann.token() + "\n\n\0"
					+ "SUBSCRIBE\nid:t\ndestination:/topic/rooms/" + room.code() + "\nreceipt:subscribed\n\n\0");
			behind.readUntil("receipt-id:subscribed");

			// ~450 KB while the client reads nothing: far more than its receive buffer
			// and
			// the server socket's send buffer take, so most of it waits in the server
			for (int i = 0; i < patches; i++) {
				api.post("/api/rooms/" + room.code() + "/state", Map.of("patch", Map.of("n", i, "filler", filler)),
						room.ownerToken())
					.expectStatus(200);
			}

			for (int i = 0; i < patches; i++) {
				String state = behind.readUntil("\"type\":\"state\"");
				assertThat(state).contains("\"version\":" + (i + 1)).contains("\"n\":" + i).contains(filler);
			}
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class SmallServerSendBuffers {

		@Bean
		WebServerFactoryCustomizer<TomcatServletWebServerFactory> smallServerSendBuffers() {
			return (factory) -> factory
				.addConnectorCustomizers((connector) -> connector.setProperty("socket.txBufSize", "4096"));
		}

	}

}
