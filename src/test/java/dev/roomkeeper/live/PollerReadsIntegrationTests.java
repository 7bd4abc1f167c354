package dev.roomkeeper.live;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.coyote.AbstractProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;

import dev.roomkeeper.live.websocket.PollerReads;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.room.event.RoomEventListener;
import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.LiveClient;
import dev.roomkeeper.support.LiveClient.Session;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code rooms.live.read-on-poller=on} on the memory store: a message sent over a live
 * connection is handled on Tomcat's poller thread, and reaches everyone as usual, while
 * REST requests, and a connection's CONNECT, stay on the request threads.
 * {@link LiveApiOnThePollerIntegrationTests} runs the whole live API suite this way.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "rooms.store.type=memory",
		"rooms.limits.failed-joins-per-minute=100000", "rooms.live.read-on-poller=on" })
class PollerReadsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ServletWebServerApplicationContext context;

	@Autowired
	RoomEventBus eventBus;

	private final List<String> threadsByEvent = new CopyOnWriteArrayList<>();

	private final RoomEventListener recorder = (event) -> this.threadsByEvent
		.add(event.type() + " " + Thread.currentThread().getName());

	private LiveClient live;

	@BeforeEach
	void setUp() {
		this.live = new LiveClient(this.port);
		this.eventBus.addListener(this.recorder);
	}

	@AfterEach
	void tearDown() {
		this.eventBus.removeListener(this.recorder);
		this.live.close();
	}

	@Test
	void aLiveMessageIsHandledOnThePollerThreadAndRestOnARequestThread() {
		TomcatWebServer server = (TomcatWebServer) this.context.getWebServer();
		AbstractProtocol<?> protocol = (AbstractProtocol<?>) server.getTomcat().getConnector().getProtocolHandler();
		assertThat(protocol.getExecutor()).isInstanceOf(PollerReads.class);

		ApiClient api = new ApiClient(this.port);
		CreatedRoom room = api.createRoom();
		Session ann = this.live.connect(api.join(room.code(), "Ann").token());
		ann.join(room.code());
		Session bob = this.live.connect(api.join(room.code(), "Bob").token());
		bob.join(room.code());

		ann.send("/app/rooms/" + room.code() + "/broadcast", Map.of("data", Map.of("hello", "bob")));
		assertThat(bob.awaitRoom("message").body().path("data").path("hello").asString()).isEqualTo("bob");
		api.post("/api/rooms/" + room.code() + "/state", Map.of("patch", Map.of("n", 1)), room.ownerToken())
			.expectStatus(200);
		bob.awaitRoom("state");

		assertThat(this.threadsByEvent).filteredOn((entry) -> entry.startsWith("message "))
			.singleElement()
			.asString()
			.contains("-Poller");
		assertThat(this.threadsByEvent).filteredOn((entry) -> entry.startsWith("state "))
			.singleElement()
			.asString()
			.doesNotContain("-Poller");
		assertThat(this.threadsByEvent).as("CONNECT, which reads the store, is handled on request threads")
			.filteredOn((entry) -> entry.startsWith("member-connected "))
			.hasSize(2)
			.allSatisfy((entry) -> assertThat(entry).doesNotContain("-Poller"));
	}

}
