package dev.roomkeeper.store.file;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.roomkeeper.room.HistoryEvent;
import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomHistory;
import dev.roomkeeper.room.event.MessageEvent;
import dev.roomkeeper.room.event.StateEvent;
import dev.roomkeeper.support.TestRooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How a room file (or a journal record) is read: the history events are cut out of the
 * bytes verbatim, and what is read is the same room as a plain
 * {@code readValue(bytes, Room.class)} (the way it was read before) gives, whatever the
 * layout of the file.
 */
class RoomFilesReadTests {

	private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	@TempDir
	Path dir;

	private RoomFiles files() {
		return new RoomFiles(this.dir, this.jsonMapper);
	}

	private Room roomWithHistory(String code) {
		List<HistoryEvent> events = new ArrayList<>();
		ObjectNode data = this.jsonMapper.createObjectNode()
			.put("text", "caf\u00e9 \u2603 \uD83D\uDE00 \"quoted\" back\\slash\nnew line\ttab {not: json} [ ]")
			.put("ratio", 1.5)
			.put("big", 12345678901234567L)
			.put("negative", -42)
			.putNull("nothing");
		data.putArray("nested").add(1).addObject().put("a", "b").putArray("c");
		events.add(new HistoryEvent(1, this.jsonMapper
			.writeValueAsString(new MessageEvent(code, NOW, 1, "m1", this.jsonMapper.createObjectNode()))));
		events.add(new HistoryEvent(2, this.jsonMapper.writeValueAsString(new MessageEvent(code, NOW, 2, "m1", data))));
		events.add(new HistoryEvent(3, this.jsonMapper.writeValueAsString(
				new StateEvent(code, NOW, 3, 7, this.jsonMapper.createObjectNode().put("round", 2), "m1"))));
		events.add(new HistoryEvent(4, "[1,\"two\",{\"three\":[]}]"));
		Member member = TestRooms.member("m1", "Ann \u00e9", NOW);
		return TestRooms.room(code, NOW)
			.edit()
			.members(List.of(member))
			.seq(4)
			.history(new RoomHistory("e1", events))
			.build();
	}

	/**
	 * The room as it was read before: Jackson's own record support for every event, its
	 * JSON parsed into a tree and written again, and Jackson's own instants.
	 */
	private Room asReadBefore(byte[] bytes) {
		return this.before.readValue(bytes, Room.class);
	}

	private final JsonMapper before = JsonMapper.builder().addMixIn(HistoryEvent.class, EventAsBefore.class).build();

	@JsonDeserialize(using = ValueDeserializer.None.class)
	abstract static class EventAsBefore {

		@JsonDeserialize(using = TreeText.class)
		String json;

	}

	static final class TreeText extends ValueDeserializer<String> {

		@Override
		public String deserialize(JsonParser parser, DeserializationContext context) {
			return context.readTree(parser).toString();
		}

	}

	private Room checkedAsBefore(byte[] bytes) {
		Room room = asReadBefore(bytes);
		RoomFiles.check(room, "ABC234");
		return room;
	}

	/** The room, or "corrupt". */
	private static Object outcome(Supplier<Room> read) {
		try {
			return read.get();
		}
		catch (RuntimeException ex) {
			return "corrupt";
		}
	}

	private String emptyRoom() {
		return new String(this.jsonMapper.writeValueAsBytes(TestRooms.room("ABC234", NOW)), StandardCharsets.UTF_8);
	}

	private byte[] withEvents(String events) {
		String room = emptyRoom();
		assertThat(room).contains("\"events\":[]");
		return room.replace("\"events\":[]", "\"events\":" + events).getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void parseWhenAnEventIsCompactThenItsJsonIsExactlyItsBytesWhereATreeWouldHaveRewrittenIt() {
		String event = "{\"n\":1.50,\"e\":\"caf\\u00e9\",\"big\":1E+2}";
		byte[] bytes = withEvents("[{\"seq\":1,\"json\":" + event + "}]");

		assertThat(files().parse(bytes, "ABC234").history().events()).extracting(HistoryEvent::json)
			.containsExactly(event);
		assertThat(asReadBefore(bytes).history().events()).extracting(HistoryEvent::json)
			.containsExactly("{\"n\":1.5,\"e\":\"caf\u00e9\",\"big\":100.0}");
	}

	@Test
	void parseWhenAnEventHasOtherPropertiesOrASeqAsTextThenTheSameOutcomeAsBefore() {
		for (String events : List.of("[{\"json\":{\"a\":1},\"seq\":\"7\"}]", "[{\"seq\":7.0,\"json\":[]}]",
				"[{\"seq\":7,\"json\":{},\"other\":{\"x\":[1]}}]", "[{\"seq\":null,\"json\":{}}]", "[{}]",
				"[{\"seq\":7,\"seq\":8,\"json\":{}}]", "[[7,{}]]", "[\"text\"]", "[null]", "[{\"seq\":true}]",
				"[{\"seq\":99999999999999999999,\"json\":{}}]", "[{\"seq\":1,\"json\":{}},{\"seq\":2,\"json\":[]}]")) {
			byte[] bytes = withEvents(events);
			assertThat(outcome(() -> files().parse(bytes, "ABC234"))).as(events)
				.isEqualTo(outcome(() -> checkedAsBefore(bytes)));
		}
	}

	@Test
	void parseWhenInstantsAreWrittenInAnyFormThenTheSameInstantsAsBefore() {
		String room = emptyRoom();
		String written = "\"createdAt\":\"2030-01-01T00:00:00Z\"";
		assertThat(room).contains(written);
		for (String createdAt : List.of("\"2030-01-01T00:00:00Z\"", "\"2030-01-01T00:00:00.5Z\"",
				"\"2030-01-01T00:00:00.123456789Z\"", "\"2030-01-01T00:00:00.1234567891Z\"",
				"\"2030-01-01T00:00:00.Z\"", "\"2030-01-01t00:00:00z\"", "\"2030-01-01T00:00:00+00:00\"",
				"\"2030-01-01T00:00:00+02:00\"", "\"2030-02-29T00:00:00Z\"", "\"2028-02-29T23:59:59Z\"",
				"\"2030-01-01T24:00:00Z\"", "\"2030-12-31T23:59:60Z\"", "\"+12030-01-01T00:00:00Z\"",
				"\"0000-01-01T00:00:00Z\"", "\"1969-12-31T23:59:59.999Z\"", "1893456000", "1893456000.5",
				"\"1893456000\"", "\"\"", "\"x\"", "\"2030-1-01T00:00:00Z\"", "\"2030-01-01 00:00:00Z\"",
				"\"2030-13-01T00:00:00Z\"", "\"2030-04-31T00:00:00Z\"", "\" 2030-01-01T00:00:00Z\"")) {
			byte[] bytes = room.replace(written, "\"createdAt\":" + createdAt).getBytes(StandardCharsets.UTF_8);
			assertThat(outcome(() -> files().parse(bytes, "ABC234"))).as(createdAt)
				.isEqualTo(outcome(() -> checkedAsBefore(bytes)));
		}
	}

	@Test
	void utcInstantsAreParsedAsInstantParseDoes() {
		for (String text : List.of("2030-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z",
				"2024-02-29T12:34:56.7Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00.000001Z",
				"2030-06-15T08:09:10.123Z")) {
			assertThat(UtcInstantDeserializer.parse(text)).as(text).isEqualTo(Instant.parse(text));
		}
		for (String text : List.of("2030-02-29T00:00:00Z", "2030-01-01T24:00:00Z", "2030-01-01T00:60:00Z",
				"2030-01-01T00:00:60Z", "2030-01-01T00:00:00", "2030-01-01T00:00:00.Z", "2030-01-01T00:00:00+01:00",
				"2030-01-01T00:00:00.1234567890Z", "20300-01-01T00:00:00Z", "2030-01-01T00:00:0xZ")) {
			assertThat(UtcInstantDeserializer.parse(text)).as(text).isNull();
		}
	}

	@Test
	void parseWhenTheStoreWroteTheRoomThenEveryEventIsExactlyWhatWasSent() {
		Room room = roomWithHistory("ABC234");
		byte[] bytes = this.jsonMapper.writeValueAsBytes(room);

		Room read = files().parse(bytes, "ABC234");

		assertThat(read).isEqualTo(room);
		assertThat(read.history().events()).isEqualTo(room.history().events());
		assertThat(read).isEqualTo(asReadBefore(bytes));
	}

	@Test
	void readWhenTheRoomFileIsOnDiskThenTheSameRoomAsBefore() throws Exception {
		Room room = roomWithHistory("ABC234");
		Path file = this.dir.resolve("ABC234.json");
		Files.write(file, this.jsonMapper.writeValueAsBytes(room));

		assertThat(files().read(file)).isEqualTo(room);
	}

	@Test
	void parseWhenTheFileWasPrettyPrintedThenEventsAreCompactedAsBefore() {
		Room room = roomWithHistory("ABC234");
		byte[] pretty = this.jsonMapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(room);
		assertThat(new String(pretty, StandardCharsets.UTF_8)).contains("\"events\" : [");

		Room read = files().parse(pretty, "ABC234");

		assertThat(read).isEqualTo(asReadBefore(pretty));
		assertThat(read.history().events()).isEqualTo(room.history().events());
	}

	@Test
	void parseWhenAnEventHasSpacesBetweenItsTokensThenItIsCompactedAsBefore() {
		String json = new String(this.jsonMapper.writeValueAsBytes(TestRooms.room("ABC234", NOW)),
				StandardCharsets.UTF_8)
			.replaceFirst("\"events\":\\[\\]",
					"\"events\":[{\"seq\":1,\"json\":{ \"type\" : \"message\", \"data\" : [ 1 , \"a b\" ] }}]");
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

		Room read = files().parse(bytes, "ABC234");

		assertThat(read.history().events()).extracting(HistoryEvent::json)
			.containsExactly("{\"type\":\"message\",\"data\":[1,\"a b\"]}");
		assertThat(read).isEqualTo(asReadBefore(bytes));
	}

	@Test
	void parseWhenAnEventIsNotAnObjectThenItIsReadAsBefore() {
		String json = new String(this.jsonMapper.writeValueAsBytes(TestRooms.room("ABC234", NOW)),
				StandardCharsets.UTF_8)
			.replaceFirst("\"events\":\\[\\]",
					"\"events\":[{\"seq\":1,\"json\":\"text\"},{\"seq\":2,\"json\":12.50},{\"seq\":3,\"json\":null}]");
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

		Room read = files().parse(bytes, "ABC234");

		assertThat(read).isEqualTo(asReadBefore(bytes));
		assertThat(read.history().events()).extracting(HistoryEvent::json).startsWith("\"text\"", "12.5");
	}

	@Test
	void parseWhenTheFileStartsWithAByteOrderMarkThenTheSameRoomAsBefore() {
		Room room = roomWithHistory("ABC234");
		byte[] json = this.jsonMapper.writeValueAsBytes(room);
		byte[] bytes = new byte[json.length + 3];
		bytes[0] = (byte) 0xEF;
		bytes[1] = (byte) 0xBB;
		bytes[2] = (byte) 0xBF;
		System.arraycopy(json, 0, bytes, 3, json.length);

		assertThat(files().parse(bytes, "ABC234")).isEqualTo(asReadBefore(bytes)).isEqualTo(room);
	}

	@Test
	void parseWhenTheFileIsTornInsideTheHistoryThenItIsCorruptWithoutQuotingIt() {
		byte[] bytes = this.jsonMapper.writeValueAsBytes(roomWithHistory("ABC234"));
		String text = new String(bytes, StandardCharsets.UTF_8);
		int cut = text.indexOf("caf");
		byte[] torn = text.substring(0, cut).getBytes(StandardCharsets.UTF_8);

		assertThatThrownBy(() -> files().parse(torn, "ABC234")).isInstanceOf(RoomFiles.CorruptRoomFileException.class)
			.hasMessageStartingWith("not a room's JSON")
			.hasMessageNotContaining("caf")
			.hasMessageNotContaining("ABC234");
	}

	@Test
	void parseWhenSomethingFollowsTheRoomThenTheSameOutcomeAsBefore() {
		byte[] json = this.jsonMapper.writeValueAsBytes(roomWithHistory("ABC234"));
		for (String trailing : List.of(" {\"more\":1}", "x", "\n", "}")) {
			byte[] bytes = (new String(json, StandardCharsets.UTF_8) + trailing).getBytes(StandardCharsets.UTF_8);
			assertThat(outcome(() -> files().parse(bytes, "ABC234"))).as(trailing)
				.isEqualTo(outcome(() -> checkedAsBefore(bytes)));
		}
	}

	@Test
	void codeOfWhenTheNameIsNotAnUpperCaseRoomCodeThenNull() {
		for (String name : List.of("ab.json", "abc234.json", "ABC 234.json", "\u00c4\u00d6\u00dc123.json", ".json",
				"AB.json", "ABC234.json.tmp", "ABC234", "A".repeat(33) + ".json", "ABC_234.json", "ABC234.JSON")) {
			assertThat(RoomFiles.codeOf(name)).as(name).isNull();
		}
		for (String name : List.of("ABC.json", "ABC-234.json", "-RF.json", "CON.json", "A".repeat(32) + ".json")) {
			assertThat(RoomFiles.codeOf(name)).as(name).isEqualTo(name.substring(0, name.length() - 5));
		}
	}

}
