package dev.roomkeeper.store.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.DefaultMessage;

import dev.roomkeeper.room.event.PublishedEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.support.ExpectedErrorLogs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How an instance reads the events channel: one event per message, or several behind
 * their lengths in bytes (as {@code write-message.lua} publishes a call's events).
 */
class RedisRoomEventsTests {

	private final List<PublishedEvent> delivered = new ArrayList<>();

	private final List<String> writtenElsewhere = new ArrayList<>();

	private final RedisRoomEvents events = events();

	@Test
	void onMessageWhenOneEventThenItIsDeliveredWithItsHeaders() {
		receive(event("ROOM01", 4, "{\"data\":\"hello\"}"));

		assertThat(this.delivered).singleElement().satisfies((event) -> {
			assertThat(event.room()).isEqualTo("ROOM01");
			assertThat(event.seq()).isEqualTo(4);
			assertThat(event.type()).isEqualTo("message");
			assertThat(event.json()).isEqualTo("{\"data\":\"hello\"}");
			assertThat(event.event()).isNull();
		});
		assertThat(this.writtenElsewhere).containsExactly("ROOM01 4");
	}

	@Test
	void onMessageWhenSeveralEventsThenEachIsDeliveredInOrderWhateverTheirCharacters() {
		String first = event("ROOM01", 7, "{\"data\":\"crème brûlée 🎤\"}");
		String second = event("ROOM02", 1, "{\"data\":\"line\\nbreak\"}");
		String third = event("ROOM01", 8, "{\"data\":\"日本語\"}");

		receive(several(first, second, third));

		assertThat(this.delivered).extracting(PublishedEvent::json)
			.containsExactly("{\"data\":\"crème brûlée 🎤\"}", "{\"data\":\"line\\nbreak\"}", "{\"data\":\"日本語\"}");
		assertThat(this.writtenElsewhere).containsExactly("ROOM01 7", "ROOM02 1", "ROOM01 8");
	}

	@Test
	@ExpectedErrorLogs(value = "dev.roomkeeper.store.redis.RedisRoomEvents",
			because = "bad channel messages are logged and skipped")
	void onMessageWhenOneOfSeveralEventsIsMalformedThenTheOthersAreDeliveredAndACutMessageStopsWhereItIsCut() {
		receive(several(event("ROOM01", 1, "{}"), "no headers", event("ROOM02", 1, "{}")));
		assertThat(this.delivered).extracting(PublishedEvent::room).containsExactly("ROOM01", "ROOM02");

		String cut = several(event("ROOM03", 1, "{}"), event("ROOM04", 1, "{}"));
		receive(cut.substring(0, cut.length() - 3));
		assertThat(this.delivered).extracting(PublishedEvent::room).containsExactly("ROOM01", "ROOM02", "ROOM03");
	}

	private RedisRoomEvents events() {
		RoomEventBus bus = new RoomEventBus(JsonMapper.builder().build());
		bus.addListener(this.delivered::add);
		return new RedisRoomEvents(bus, Duration.ofSeconds(1), new RedisRoomEvents.RoomNews() {

			@Override
			public void closed(String room) {
			}

			@Override
			public void writtenElsewhere(String room, long seq) {
				RedisRoomEventsTests.this.writtenElsewhere.add(room + " " + seq);
			}

		});
	}

	/** An event as another instance publishes it. */
	private static String event(String room, long seq, String json) {
		return "other-instance\n1\n" + room + '\n' + seq + "\nmessage\n" + json;
	}

	/** Several events in one channel message: lengths in UTF-8 bytes, as Lua counts. */
	private static String several(String... events) {
		StringBuilder message = new StringBuilder("*").append(events.length).append('\n');
		for (String event : events) {
			message.append(event.getBytes(StandardCharsets.UTF_8).length).append('\n').append(event);
		}
		return message.toString();
	}

	private void receive(String message) {
		this.events.onMessage(
				new DefaultMessage("events".getBytes(StandardCharsets.UTF_8), message.getBytes(StandardCharsets.UTF_8)),
				null);
	}

}
