package dev.roomkeeper.room.event;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.util.RawValue;

import static org.assertj.core.api.Assertions.assertThat;

class MessageEventJsonTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Instant[] INSTANTS = { Instant.parse("2026-12-06T18:30:00Z"),
			Instant.parse("2026-12-06T18:30:00.120Z"), Instant.parse("2026-12-06T18:30:00.123456Z"),
			Instant.parse("2026-12-06T18:30:00.123456789Z"), Instant.EPOCH, Instant.parse("+12026-01-01T00:00:00Z") };

	private static final String[] DATA = { "{}", "[]", "{\"text\":\"héllo 🎉\",\"n\":[1,2.5,-3e7,true,null]}",
			"{\"quote\":\"a\\\"b\\\\c\\n\\u0000\"}", "[{\"a\":{\"b\":[]}}]" };

	@Test
	void aBroadcastIsWrittenAsJacksonWritesIt() {
		for (Instant at : INSTANTS) {
			for (String data : DATA) {
				for (String from : new String[] { "m-3f9a1c", null, "owner" }) {
					for (long seq : new long[] { 0, 42, Long.MAX_VALUE }) {
						MessageEvent event = new MessageEvent("ABC234", at, seq, from, raw(data));

						assertThat(MessageEventJson.write(event)).as("%s %s %s %d", at, data, from, seq)
							.isEqualTo(JSON.writeValueAsString(event));
					}
				}
			}
		}
	}

	@Test
	void whatIsNotThePlainCaseIsLeftToJackson() {
		Instant at = INSTANTS[1];
		assertThat(MessageEventJson.write(new MessageEvent("ABC234", at, 1, "m-1", JSON.readTree("{\"a\":1}"))))
			.as("data read as a tree")
			.isNull();
		assertThat(MessageEventJson.write(new MessageEvent("ABC234", at, 1, "say \"hi\"", raw("{}")))).as("a quote")
			.isNull();
		assertThat(MessageEventJson.write(new MessageEvent("ABC234", at, 1, "back\\slash", raw("{}"))))
			.as("a backslash")
			.isNull();
		assertThat(MessageEventJson.write(new MessageEvent("RÖÖM", at, 1, "m-1", raw("{}")))).as("beyond ASCII")
			.isNull();
		assertThat(MessageEventJson.write(new MessageEvent("ABC234", at, 1, "tab\there", raw("{}"))))
			.as("a control character")
			.isNull();
		assertThat(MessageEventJson.write(new MessageEvent("ABC234", null, 1, "m-1", raw("{}")))).as("no time")
			.isNull();
		assertThat(MessageEventJson.write(new MessageEvent("ABC234", at, 1, "m-1", null))).as("no data").isNull();
	}

	@Test
	void theBusGivesTheSameJsonWhicheverWritesIt() {
		RoomEventBus bus = new RoomEventBus(JSON);
		for (String from : new String[] { "m-1", "say \"hi\"" }) {
			MessageEvent event = new MessageEvent("ABC234", INSTANTS[2], 7, from, raw(DATA[2]));

			PublishedEvent published = bus.encode(event);

			assertThat(published.json()).isEqualTo(JSON.writeValueAsString(event));
			assertThat(JSON.readTree(published.json()).path("data")).isEqualTo(JSON.readTree(DATA[2]));
			assertThat(published.seq()).isEqualTo(7);
			assertThat(published.type()).isEqualTo("message");
		}
	}

	private static JsonNode raw(String json) {
		return JSON.getNodeFactory().rawValueNode(new RawValue(json));
	}

}
