package dev.roomkeeper.store.file;

import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.roomkeeper.room.HistoryEvent;
import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomAccess;
import dev.roomkeeper.room.RoomHistory;
import dev.roomkeeper.room.RoomWebhooks;
import dev.roomkeeper.room.event.MemberRole;
import dev.roomkeeper.room.event.RoomEventBus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RoomFileReader} reads every room the store writes as Jackson's databinding reads
 * it, and anything else falls back to Jackson, with the same outcome: the same room or
 * the same error.
 */
class RoomFileReaderTests {

	private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	@TempDir
	Path dir;

	/** Many varied rooms, as the store's callers make them. */
	static List<Room> variedRooms(int count, long seed) {
		Random random = new Random(seed);
		List<Room> rooms = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			rooms.add(room(random, "R" + String.format("%05d", i)));
		}
		return rooms;
	}

	private static Room room(Random random, String code) {
		List<Member> members = new ArrayList<>();
		for (int m = random.nextInt(6); m > 0; m--) {
			List<String> tickets = new ArrayList<>();
			for (int t = random.nextInt(3); t > 0; t--) {
				tickets.add(text(random));
			}
			members.add(new Member("m" + m + text(random), text(random),
					random.nextBoolean() ? MemberRole.OWNER : MemberRole.MEMBER, text(random), random.nextBoolean(),
					instant(random), random.nextBoolean() ? instant(random) : null, tree(random, 2),
					random.nextBoolean() ? text(random) : null, tickets));
		}
		List<RoomWebhooks.PendingWebhook> pending = new ArrayList<>();
		for (int w = random.nextInt(3); w > 0; w--) {
			List<RoomWebhooks.FailedDelivery> failed = new ArrayList<>();
			for (int f = random.nextInt(2); f > 0; f--) {
				failed.add(new RoomWebhooks.FailedDelivery(text(random), random.nextInt(50),
						random.nextBoolean() ? text(random) : null, instant(random)));
			}
			pending.add(new RoomWebhooks.PendingWebhook("w" + w, "member.joined", random.nextLong() >>> 1,
					instant(random), tree(random, 2).toString(), List.of("a", text(random)), failed));
		}
		List<HistoryEvent> events = new ArrayList<>();
		long seq = random.nextInt(1000) + (random.nextBoolean() ? 0 : 5_000_000_000L);
		for (int e = random.nextInt(5); e > 0; e--) {
			JsonNode event = random.nextInt(4) == 0 ? NODES.arrayNode().add(text(random)).add(random.nextInt())
					: tree(random, 3);
			events.add(new HistoryEvent(seq - e, event.toString()));
		}
		String[] levels = { null, RoomAccess.Permissions.MEMBERS, RoomAccess.Permissions.OWNER,
				RoomAccess.Permissions.SERVER };
		return new Room(code, text(random), random.nextBoolean() ? text(random) : null, text(random),
				random.nextBoolean(), random.nextBoolean(), 1 + random.nextInt(1000), members, tree(random, 3),
				tree(random, 3), random.nextBoolean() ? random.nextInt(100) : random.nextLong() >>> 1, seq,
				instant(random), instant(random), random.nextBoolean() ? instant(random) : null,
				new RoomAccess(random.nextBoolean() ? RoomAccess.OPEN : RoomAccess.TICKET,
						new RoomAccess.Permissions(levels[random.nextInt(4)], levels[random.nextInt(4)])),
				new RoomWebhooks(random.nextInt(4) == 0 ? instant(random) : null, pending),
				new RoomHistory(random.nextBoolean() ? "e" + random.nextInt(1000) : null, events));
	}

	private static String text(Random random) {
		String[] parts = { "a", "Ann", "caf\u00e9", "\u2603", "\uD83D\uDE00", "\"q\"", "back\\slash", "\n", "\t",
				"{not: json}", " ", "0", "\u0000", "\u001f" };
		StringBuilder text = new StringBuilder();
		for (int i = random.nextInt(5); i >= 0; i--) {
			text.append(parts[random.nextInt(parts.length)]);
		}
		return text.toString();
	}

	private static Instant instant(Random random) {
		Instant base = Instant.ofEpochSecond(random.nextInt(2_000_000_000));
		return switch (random.nextInt(3)) {
			case 0 -> base;
			case 1 -> base.plusMillis(random.nextInt(1000));
			default -> base.plusNanos(random.nextInt(1_000_000_000));
		};
	}

	private static ObjectNode tree(Random random, int depth) {
		ObjectNode object = NODES.objectNode();
		for (int i = random.nextInt(5); i > 0; i--) {
			object.set(text(random) + i, value(random, depth));
		}
		return object;
	}

	private static JsonNode value(Random random, int depth) {
		return switch (random.nextInt((depth > 0) ? 11 : 9)) {
			case 0 -> NODES.numberNode(random.nextInt());
			case 1 -> NODES.numberNode(random.nextLong());
			case 2 -> NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
			case 3 -> NODES.numberNode(random.nextDouble() * 1e6);
			case 4 -> NODES.numberNode(random.nextInt(100) / 4.0);
			case 5 -> NODES.stringNode(text(random));
			case 6 -> NODES.booleanNode(random.nextBoolean());
			case 7 -> NODES.nullNode();
			case 8 -> NODES.numberNode(1e300);
			case 9 -> tree(random, depth - 1);
			default -> {
				ArrayNode array = NODES.arrayNode();
				for (int i = random.nextInt(4); i > 0; i--) {
					array.add(value(random, depth - 1));
				}
				yield array;
			}
		};
	}

	private static byte[] bytes(Path file) {
		try {
			return Files.readAllBytes(file);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Creates the rooms through the store, flushed and closed; returns them by code. */
	private Map<String, Room> writtenByTheStore(List<Room> rooms) {
		Map<String, Room> byCode = new HashMap<>();
		JsonFileRoomRepository store = new JsonFileRoomRepository(this.dir, Duration.ofSeconds(1),
				Duration.ofSeconds(1), Duration.ofHours(1), this.jsonMapper, new RoomEventBus(this.jsonMapper),
				Clock.systemUTC(), new SimpleMeterRegistry());
		try {
			for (Room room : rooms) {
				assertThat(store.create(room)).isTrue();
				byCode.put(room.code(), room);
			}
			store.flush();
		}
		finally {
			store.close();
		}
		return byCode;
	}

	@Test
	void roomsWrittenByTheStoreAreReadByTheLayoutReaderAsByJacksonAndAsTheyWere() throws Exception {
		List<Room> rooms = variedRooms(400, 14);
		Map<String, Room> byCode = writtenByTheStore(rooms);
		RoomFiles files = new RoomFiles(this.dir, this.jsonMapper);
		int read = 0;
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.dir, "*.json")) {
			for (Path file : entries) {
				byte[] bytes = bytes(file);
				Room expected = byCode.get(RoomFiles.codeOf(file.getFileName().toString()));
				Room fast = files.readLayout(bytes, 0, bytes.length);
				assertThat(fast).as(file.getFileName().toString()).isNotNull();
				assertThat(fast).isEqualTo(files.readWithJackson(bytes, 0, bytes.length)).isEqualTo(expected);
				assertThat(fast.history().events()).isEqualTo(expected.history().events());
				assertThat(files.read(file)).isEqualTo(expected);
				read++;
			}
		}
		assertThat(read).isEqualTo(rooms.size());
	}

	@Test
	void journalRecordsAndRoomJsonAreReadByTheLayoutReaderAtAnOffset() {
		RoomFiles files = new RoomFiles(this.dir, this.jsonMapper);
		for (Room room : variedRooms(200, 15)) {
			byte[] json = files.json(room);
			byte[] segment = new byte[json.length + 20];
			System.arraycopy(json, 0, segment, 7, json.length);
			Room fast = files.readLayout(segment, 7, json.length);
			assertThat(fast).isNotNull().isEqualTo(room).isEqualTo(files.readWithJackson(segment, 7, json.length));
			assertThat(files.parse(segment, 7, json.length, room.code())).isEqualTo(room);
		}
	}

	/**
	 * The room, or the message of the error. (A room read without an epoch gets a new
	 * random one, whoever reads it: that is compared as "new".)
	 */
	private static Object outcome(byte[] bytes, Supplier<Room> read) {
		try {
			Room room = read.get();
			return (room != null && !new String(bytes, StandardCharsets.UTF_8).contains("\"" + room.epoch() + "\""))
					? room.withHistory(new RoomHistory("new", room.history().events())) : room;
		}
		catch (RuntimeException ex) {
			return ex.getClass().getSimpleName() + ": " + ex.getMessage();
		}
	}

	/**
	 * Checks that {@code bytes} parse with the layout reader as with Jackson alone
	 * (either the same room or the same error) and answers whether the layout reader read
	 * them.
	 */
	private boolean sameAsJackson(JsonMapper mapper, byte[] bytes, String code, String what) {
		RoomFiles withLayout = new RoomFiles(this.dir, mapper);
		RoomFiles jacksonOnly = new RoomFiles(this.dir, mapper, false);
		Object expected = outcome(bytes, () -> jacksonOnly.parse(bytes, code));
		assertThat(outcome(bytes, () -> withLayout.parse(bytes, code))).as(what).isEqualTo(expected);
		return withLayout.readLayout(bytes, 0, bytes.length) != null;
	}

	private String json(Room room) {
		return new String(this.jsonMapper.writeValueAsBytes(room), StandardCharsets.UTF_8);
	}

	private ObjectNode tree(Room room) {
		return (ObjectNode) this.jsonMapper.readTree(this.jsonMapper.writeValueAsBytes(room));
	}

	private Room rich() {
		for (Room room : variedRooms(200, 16)) {
			if (room.members().size() >= 2 && !room.webhooks().pending().isEmpty()
					&& !room.webhooks().pending().get(0).failed().isEmpty() && !room.history().events().isEmpty()) {
				return room;
			}
		}
		throw new IllegalStateException("no rich room");
	}

	@Test
	void propertiesInAnotherOrderFallBackToJacksonWithTheSameRoom() {
		Room room = rich();
		ObjectNode reversed = NODES.objectNode();
		List<Map.Entry<String, JsonNode>> properties = new ArrayList<>(tree(room).properties());
		for (int i = properties.size() - 1; i >= 0; i--) {
			JsonNode value = properties.get(i).getValue();
			if (value instanceof ObjectNode object && properties.get(i).getKey().equals("access")) {
				value = NODES.objectNode()
					.set("permissions", object.get("permissions"))
					.set("joinPolicy", object.get("joinPolicy"));
			}
			reversed.set(properties.get(i).getKey(), value);
		}
		byte[] bytes = this.jsonMapper.writeValueAsBytes(reversed);

		// not the store's order: Jackson reads it
		assertThat(sameAsJackson(this.jsonMapper, bytes, room.code(), "reversed")).isFalse();
		assertThat(new RoomFiles(this.dir, this.jsonMapper).parse(bytes, room.code())).isEqualTo(room);
	}

	/** Changes of a rich room's JSON tree that the layout reader does not read itself. */
	private List<Map.Entry<String, Function<ObjectNode, JsonNode>>> variants() {
		List<Map.Entry<String, Function<ObjectNode, JsonNode>>> variants = new ArrayList<>();
		for (String property : List.of("code", "name", "passwordHash", "ownerTokenHash", "locked", "listed",
				"maxMembers", "members", "settings", "state", "version", "seq", "createdAt", "lastActivityAt",
				"warnedAt", "access", "webhooks", "history")) {
			variants.add(Map.entry("without " + property, (room) -> room.without(property)));
			variants.add(Map.entry(property + " null", (room) -> room.putNull(property)));
			variants.add(Map.entry(property + " as text", (room) -> room.put(property, "16")));
			variants.add(Map.entry(property + " as 1.5", (room) -> room.put(property, 1.5)));
			variants.add(Map.entry(property + " as an array", (room) -> room.set(property, NODES.arrayNode())));
			variants.add(Map.entry(property + " as an object", (room) -> room.set(property, NODES.objectNode())));
			variants.add(Map.entry(property + " as a huge number",
					(room) -> room.put(property, new java.math.BigInteger("99999999999999999999"))));
		}
		for (String property : List.of("id", "name", "role", "tokenHash", "connected", "joinedAt", "lastSeenAt",
				"metadata", "userId", "ticketTokenHashes")) {
			variants.add(Map.entry("member without " + property, (room) -> member(room).without(property)));
			variants.add(Map.entry("member " + property + " null", (room) -> member(room).putNull(property)));
			variants.add(Map.entry("member " + property + " as 7", (room) -> member(room).put(property, 7)));
		}
		variants.add(Map.entry("role OWNER", (room) -> member(room).put("role", "OWNER")));
		variants.add(Map.entry("role other", (room) -> member(room).put("role", "admin")));
		variants.add(Map.entry("ticket null", (room) -> member(room).withArray("ticketTokenHashes").addNull()));
		variants.add(Map.entry("ticket 1", (room) -> member(room).withArray("ticketTokenHashes").add(1)));
		variants.add(Map.entry("member null", (room) -> room.withArray("members").addNull()));
		variants.add(Map.entry("member array", (room) -> room.withArray("members").addArray()));
		for (String property : List.of("id", "type", "seq", "timestamp", "body", "endpoints", "failed")) {
			variants.add(Map.entry("webhook without " + property, (room) -> webhook(room).without(property)));
			variants.add(Map.entry("webhook " + property + " null", (room) -> webhook(room).putNull(property)));
		}
		for (String property : List.of("endpoint", "attempts", "lastError", "failedAt")) {
			variants.add(Map.entry("failure without " + property,
					(room) -> ((ObjectNode) webhook(room).withArray("failed").get(0)).without(property)));
			variants.add(Map.entry("failure " + property + " null",
					(room) -> ((ObjectNode) webhook(room).withArray("failed").get(0)).putNull(property)));
		}
		variants.add(Map.entry("attempts long",
				(room) -> ((ObjectNode) webhook(room).withArray("failed").get(0)).put("attempts", 1L << 40)));
		variants.add(Map.entry("closedAt number", (room) -> room.withObject("webhooks").put("closedAt", 1893456000)));
		variants.add(Map.entry("joinPolicy null", (room) -> room.withObject("access").putNull("joinPolicy")));
		variants.add(Map.entry("permissions null", (room) -> room.withObject("access").putNull("permissions")));
		variants.add(Map.entry("without permissions", (room) -> room.withObject("access").without("permissions")));
		variants.add(Map.entry("state level null",
				(room) -> room.withObject("access").withObject("permissions").putNull("state")));
		variants.add(Map.entry("without broadcast",
				(room) -> room.withObject("access").withObject("permissions").without("broadcast")));
		variants.add(Map.entry("epoch null", (room) -> room.withObject("history").putNull("epoch")));
		variants.add(Map.entry("epoch empty", (room) -> room.withObject("history").put("epoch", "")));
		variants.add(Map.entry("events null", (room) -> room.withObject("history").putNull("events")));
		variants.add(Map.entry("event null", (room) -> room.withObject("history").withArray("events").addNull()));
		variants.add(Map.entry("event text", (room) -> room.withObject("history").withArray("events").add("x")));
		variants.add(Map.entry("event unknown property",
				(room) -> ((ObjectNode) room.withObject("history").withArray("events").get(0)).put("other", 1)));
		variants
			.add(Map.entry("createdAt with an offset", (room) -> room.put("createdAt", "2030-01-01T02:00:00+02:00")));
		variants.add(Map.entry("createdAt as a number", (room) -> room.put("createdAt", 1893456000.5)));
		variants.add(Map.entry("createdAt impossible", (room) -> room.put("createdAt", "2030-02-30T00:00:00Z")));
		variants.add(Map.entry("maxMembers 0", (room) -> room.put("maxMembers", 0)));
		variants.add(Map.entry("maxMembers long", (room) -> room.put("maxMembers", 1L << 33)));
		variants.add(Map.entry("version negative", (room) -> room.put("version", -1)));
		variants.add(Map.entry("locked as 1", (room) -> room.put("locked", 1)));
		variants.add(Map.entry("unknown property", (room) -> room.put("extra", 1)));
		variants.add(Map.entry("unknown null property", (room) -> room.putNull("extra")));
		variants.add(Map.entry("unknown member property", (room) -> member(room).put("extra", "x")));
		variants.add(Map.entry("unknown access property", (room) -> room.withObject("access").put("extra", "x")));
		variants.add(Map.entry("unknown webhooks property", (room) -> room.withObject("webhooks").put("x", 1)));
		variants.add(Map.entry("unknown webhook property", (room) -> webhook(room).put("x", 1)));
		variants.add(Map.entry("unknown history property", (room) -> room.withObject("history").put("x", 1)));
		variants.add(Map.entry("another room's code", (room) -> room.put("code", "OTHER")));
		variants.add(Map.entry("a room in an array", (room) -> NODES.arrayNode().add(room)));
		variants.add(Map.entry("text", (room) -> NODES.stringNode("room")));
		variants.add(Map.entry("null", (room) -> NODES.nullNode()));
		variants.add(Map.entry("empty object", (room) -> NODES.objectNode()));
		return variants;
	}

	/** The document a variant gives: the changed tree, or what replaces it. */
	private static JsonNode document(String variant, ObjectNode tree, JsonNode changed) {
		return List.of("null", "text", "empty object", "a room in an array").contains(variant) ? changed : tree;
	}

	private static ObjectNode member(ObjectNode room) {
		return (ObjectNode) room.withArray("members").get(0);
	}

	private static ObjectNode webhook(ObjectNode room) {
		return (ObjectNode) room.withObject("webhooks").withArray("pending").get(0);
	}

	private static byte[] bytes(JsonMapper mapper, JsonNode node) {
		return mapper.writeValueAsBytes(node);
	}

	@Test
	void otherLayoutsFallBackToJacksonWithTheSameOutcome() {
		Room room = rich();
		int readByLayout = 0;
		for (Map.Entry<String, Function<ObjectNode, JsonNode>> variant : variants()) {
			ObjectNode tree = tree(room);
			JsonNode changed = variant.getValue().apply(tree);
			JsonNode document = document(variant.getKey(), tree, changed);
			if (sameAsJackson(this.jsonMapper, bytes(this.jsonMapper, document), room.code(), variant.getKey())) {
				readByLayout++;
			}
		}
		// a few changes keep the store's layout (an empty epoch, role OWNER...)
		assertThat(readByLayout).isLessThan(variants().size() / 4);
	}

	@Test
	void otherLayoutsAreNotReadByTheLayoutReader() {
		Room room = rich();
		RoomFiles files = new RoomFiles(this.dir, this.jsonMapper);
		for (String name : List.of("without passwordHash", "passwordHash null", "unknown property",
				"unknown null property", "member without userId", "ticket null", "webhook without failed",
				"without history", "events null", "event text", "createdAt as a number", "role OWNER",
				"maxMembers long", "locked as 1", "null")) {
			Function<ObjectNode, JsonNode> change = variants().stream()
				.filter((variant) -> variant.getKey().equals(name))
				.findFirst()
				.orElseThrow()
				.getValue();
			ObjectNode tree = tree(room);
			JsonNode changed = change.apply(tree);
			JsonNode document = document(name, tree, changed);
			byte[] bytes = bytes(this.jsonMapper, document);
			Room fast = files.readLayout(bytes, 0, bytes.length);
			if (name.equals("passwordHash null")) {
				// null is what the store writes for a room without a password
				assertThat(fast).as(name).isNotNull();
			}
			else {
				assertThat(fast).as(name).isNull();
			}
		}
	}

	@Test
	void tornOrCorruptJsonFailsAsWithJacksonAlone() {
		Room room = rich();
		byte[] json = this.jsonMapper.writeValueAsBytes(room);
		for (int cut = 0; cut < json.length; cut += 7) {
			byte[] torn = java.util.Arrays.copyOf(json, cut);
			assertThat(sameAsJackson(this.jsonMapper, torn, room.code(), "cut at " + cut)).isFalse();
		}
		Random random = new Random(17);
		for (int i = 0; i < 300; i++) {
			byte[] damaged = json.clone();
			damaged[random.nextInt(damaged.length)] = (byte) "{}[]\",:0a \u00ff".charAt(random.nextInt(11));
			sameAsJackson(this.jsonMapper, damaged, room.code(), "damaged " + i);
		}
		for (String text : List.of("", " ", "x", "{", "[]", "null", "{}", "\"room\"",
				"{\"code\":\"" + room.code() + "\"}", json(room) + json(room), json(room) + " x",
				json(room).replace("}", "}}"))) {
			sameAsJackson(this.jsonMapper, text.getBytes(StandardCharsets.UTF_8), room.code(), text);
		}
	}

	@Test
	void otherMapperSettingsGiveTheSameOutcomeAsJacksonAlone() {
		List<JsonMapper> mappers = List.of(
				JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build(),
				JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES).build(),
				JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build(),
				JsonMapper.builder().enable(DeserializationFeature.USE_LONG_FOR_INTS).build(),
				JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build(),
				JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build(),
				JsonMapper.builder()
					.enable(tools.jackson.databind.cfg.DateTimeFeature.TRUNCATE_TO_MSECS_ON_READ)
					.build(),
				JsonMapper.builder()
					.changeDefaultNullHandling((nulls) -> JsonSetter.Value.forValueNulls(Nulls.AS_EMPTY))
					.build(),
				JsonMapper.builder()
					.withConfigOverride(String.class,
							(override) -> override.setNullHandling(JsonSetter.Value.forValueNulls(Nulls.AS_EMPTY)))
					.build());
		List<Room> rooms = variedRooms(60, 18);
		Room rich = rich();
		for (JsonMapper mapper : mappers) {
			for (Room room : rooms) {
				sameAsJackson(mapper, mapper.writeValueAsBytes(room), room.code(), "room");
			}
			for (Map.Entry<String, Function<ObjectNode, JsonNode>> variant : variants()) {
				ObjectNode tree = tree(rich);
				JsonNode changed = variant.getValue().apply(tree);
				JsonNode document = document(variant.getKey(), tree, changed);
				sameAsJackson(mapper, bytes(mapper, document), rich.code(), variant.getKey());
				byte[] trailing = (new String(bytes(mapper, document), StandardCharsets.UTF_8) + " {}")
					.getBytes(StandardCharsets.UTF_8);
				sameAsJackson(mapper, trailing, rich.code(), variant.getKey() + ", trailing");
			}
		}
	}

	@Test
	void aPrettyPrintedFileWithAByteOrderMarkIsReadAsByJackson() {
		Room room = rich();
		byte[] pretty = this.jsonMapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(room);
		byte[] bom = new byte[pretty.length + 3];
		bom[0] = (byte) 0xEF;
		bom[1] = (byte) 0xBB;
		bom[2] = (byte) 0xBF;
		System.arraycopy(pretty, 0, bom, 3, pretty.length);
		for (byte[] bytes : List.of(pretty, bom)) {
			sameAsJackson(this.jsonMapper, bytes, room.code(), "pretty");
			assertThat(new RoomFiles(this.dir, this.jsonMapper).parse(bytes, room.code())).isEqualTo(room);
		}
	}

	/**
	 * Rooms {@link CompactRoomReader} reads: printable ASCII, no history events, no
	 * pending webhooks, numbers of up to 18 digits; members, metadata and state of any
	 * shape.
	 */
	static List<Room> simpleRooms(int count, long seed) {
		Random random = new Random(seed);
		List<Room> rooms = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			List<Member> members = new ArrayList<>();
			for (int m = random.nextInt(4); m > 0; m--) {
				List<String> tickets = new ArrayList<>();
				for (int t = random.nextInt(3); t > 0; t--) {
					tickets.add(ascii(random));
				}
				ObjectNode metadata = random.nextBoolean() ? NODES.objectNode() : tree(random, 2);
				members.add(new Member("m" + m, ascii(random),
						random.nextBoolean() ? MemberRole.OWNER : MemberRole.MEMBER, ascii(random),
						random.nextBoolean(), instant(random), random.nextBoolean() ? instant(random) : null, metadata,
						random.nextBoolean() ? ascii(random) : null, tickets));
			}
			String[] levels = { RoomAccess.Permissions.MEMBERS, RoomAccess.Permissions.OWNER,
					RoomAccess.Permissions.SERVER };
			rooms.add(
					new Room("S" + String.format("%05d", i), ascii(random), random.nextBoolean() ? ascii(random) : null,
							ascii(random), random.nextBoolean(), random.nextBoolean(), 1 + random.nextInt(1000),
							members, random.nextBoolean() ? NODES.objectNode() : tree(random, 2),
							random.nextBoolean() ? NODES.objectNode() : tree(random, 2),
							random.nextBoolean() ? random.nextInt(100)
									: (random.nextLong() >>> 1) % 100_000_000_000_000_000L,
							random.nextInt(1_000_000), instant(random), instant(random),
							random.nextBoolean() ? instant(random) : null,
							new RoomAccess(random.nextBoolean() ? RoomAccess.OPEN : RoomAccess.TICKET,
									new RoomAccess.Permissions(levels[random.nextInt(3)], levels[random.nextInt(3)])),
							new RoomWebhooks(random.nextInt(4) == 0 ? instant(random) : null, List.of()),
							new RoomHistory("e" + random.nextInt(1000), List.of())));
		}
		return rooms;
	}

	private static String ascii(Random random) {
		StringBuilder text = new StringBuilder();
		for (int i = random.nextInt(12); i >= 0; i--) {
			text.append((char) (0x20 + random.nextInt(0x5f)));
		}
		String value = text.toString();
		// what the compact reader reads: no quote, no backslash
		return value.replace('"', 'q').replace('\\', 'b');
	}

	@Test
	void simpleRoomsWrittenByTheStoreAreReadByTheCompactReaderAsByJacksonAndAsTheyWere() throws Exception {
		List<Room> rooms = simpleRooms(400, 19);
		Map<String, Room> byCode = writtenByTheStore(rooms);
		RoomFiles files = new RoomFiles(this.dir, this.jsonMapper);
		int read = 0;
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.dir, "*.json")) {
			for (Path file : entries) {
				byte[] bytes = bytes(file);
				Room expected = byCode.get(RoomFiles.codeOf(file.getFileName().toString()));
				Room compact = files.readCompact(bytes, 0, bytes.length);
				assertThat(compact).as(file.getFileName().toString()).isNotNull();
				assertThat(compact).isEqualTo(files.readWithJackson(bytes, 0, bytes.length))
					.isEqualTo(files.readLayout(bytes, 0, bytes.length))
					.isEqualTo(expected);
				assertThat(files.read(file)).isEqualTo(expected);
				read++;
			}
		}
		assertThat(read).isEqualTo(rooms.size());
	}

	@Test
	void roomsTheCompactReaderDoesNotReadGiveNull() {
		RoomFiles files = new RoomFiles(this.dir, this.jsonMapper);
		int compact = 0;
		for (Room room : variedRooms(200, 20)) {
			byte[] json = files.json(room);
			if (files.readCompact(json, 0, json.length) != null) {
				compact++;
				assertThat(files.readCompact(json, 0, json.length)).isEqualTo(room);
			}
		}
		// non-ASCII text, events or webhooks in almost every varied room
		assertThat(compact).isLessThan(20);
	}

	@Test
	void everyByteChangedOrInsertedInASimpleRoomGivesTheSameOutcomeAsJacksonAlone() {
		Room room = simpleRooms(50, 21).stream()
			.filter((candidate) -> candidate.members().size() >= 2 && !candidate.state().isEmpty())
			.findFirst()
			.orElseThrow();
		byte[] json = this.jsonMapper.writeValueAsBytes(room);
		RoomFiles withLayout = new RoomFiles(this.dir, this.jsonMapper);
		RoomFiles jacksonOnly = new RoomFiles(this.dir, this.jsonMapper, false);
		assertThat(withLayout.readCompact(json, 0, json.length)).isEqualTo(room);
		byte[] changes = " 0-19\\\"u{}[],:nx\u00e9\t".getBytes(StandardCharsets.UTF_8);
		for (int at = 0; at <= json.length; at++) {
			for (byte change : changes) {
				byte[] inserted = new byte[json.length + 1];
				System.arraycopy(json, 0, inserted, 0, at);
				inserted[at] = change;
				System.arraycopy(json, at, inserted, at + 1, json.length - at);
				assertThat(outcome(inserted, () -> withLayout.parse(inserted, room.code())))
					.as("inserted at " + at + ": " + (char) change)
					.isEqualTo(outcome(inserted, () -> jacksonOnly.parse(inserted, room.code())));
				if (at < json.length) {
					byte[] replaced = json.clone();
					replaced[at] = change;
					assertThat(outcome(replaced, () -> withLayout.parse(replaced, room.code())))
						.as("replaced at " + at + ": " + (char) change)
						.isEqualTo(outcome(replaced, () -> jacksonOnly.parse(replaced, room.code())));
				}
			}
		}
	}

	@Test
	void valuesAtTheEdgesOfWhatTheCompactReaderReadsGiveTheSameOutcomeAsJacksonAlone() {
		Room room = simpleRooms(1, 22).get(0);
		String json = new String(this.jsonMapper.writeValueAsBytes(
				room.edit().version(5).state(NODES.objectNode().put("k", 1)).name("Name").maxMembers(16).build()),
				StandardCharsets.UTF_8);
		List<String> variants = new ArrayList<>();
		for (String version : List.of("0", "-0", "01", "-1", "999999999999999999", "9999999999999999999",
				"99999999999999999999", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "1.0",
				"1e3", "\"5\"", "null", "true")) {
			variants.add(json.replace("\"version\":5", "\"version\":" + version));
		}
		for (String max : List.of("2147483647", "2147483648", "-2147483648", "-2147483649", "016", "0")) {
			variants.add(json.replace("\"maxMembers\":16", "\"maxMembers\":" + max));
		}
		for (String name : List.of("\"N\\u0041\"", "\"\u00e9\"", "\"a\\\"b\"", "\"\t\"", "\"\"", "null",
				"\"" + "x".repeat(70_000) + "\"")) {
			variants.add(json.replace("\"name\":\"Name\"", "\"name\":" + name));
		}
		String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
		String deeper = "[".repeat(2000) + "]".repeat(2000);
		for (String state : List.of(deep, "{\"k\":" + deeper + "}", "{\"k\":1,\"k\":2}", "{\"k\":01}", "{\"k\":1",
				"{\"k\":\"}\"}", "{\"k\":\"\\\"}\"}", "{ }", "{\"k\":[1,]}", "[]")) {
			variants.add(json.replace("\"state\":{\"k\":1}", "\"state\":" + state));
		}
		for (String instant : List.of("\"2030-01-01T00:00:00Z\"", "\"2030-01-01T00:00:00+01:00\"", "1893456000",
				"\"2030-02-30T00:00:00Z\"", "null")) {
			variants.add(json.replaceFirst("\"createdAt\":\"[^\"]*\"", "\"createdAt\":" + instant));
		}
		RoomFiles withLayout = new RoomFiles(this.dir, this.jsonMapper);
		RoomFiles jacksonOnly = new RoomFiles(this.dir, this.jsonMapper, false);
		for (String variant : variants) {
			assertThat(variant).isNotEqualTo(json);
			byte[] bytes = variant.getBytes(StandardCharsets.UTF_8);
			assertThat(outcome(bytes, () -> withLayout.parse(bytes, room.code())))
				.as(variant.substring(0, Math.min(300, variant.length())))
				.isEqualTo(outcome(bytes, () -> jacksonOnly.parse(bytes, room.code())));
		}
	}

	@Test
	void otherMapperSettingsKeepTheCompactReaderOutOrReadAsJackson() {
		List<JsonMapper> mappers = List.of(
				JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES).build(),
				JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build(),
				JsonMapper.builder().enable(DeserializationFeature.USE_LONG_FOR_INTS).build(),
				JsonMapper.builder()
					.enable(tools.jackson.databind.cfg.DateTimeFeature.TRUNCATE_TO_MSECS_ON_READ)
					.build(),
				JsonMapper.builder()
					.changeDefaultNullHandling((nulls) -> JsonSetter.Value.forValueNulls(Nulls.AS_EMPTY))
					.build(),
				JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build());
		for (JsonMapper mapper : mappers) {
			for (Room room : simpleRooms(60, 23)) {
				sameAsJackson(mapper, mapper.writeValueAsBytes(room), room.code(), "simple room");
			}
		}
		assertThat(new RoomFiles(this.dir, mappers.get(0)).readCompact(new byte[0], 0, 0)).isNull();
		Room room = simpleRooms(1, 24).get(0);
		byte[] json = mappers.get(0).writeValueAsBytes(room);
		assertThat(new RoomFiles(this.dir, mappers.get(0)).readCompact(json, 0, json.length)).isNull();
		assertThat(new RoomFiles(this.dir, mappers.get(3)).readCompact(json, 0, json.length)).isNull();
		assertThat(new RoomFiles(this.dir, mappers.get(4)).readCompact(json, 0, json.length)).isNull();
		// floats as BigDecimal: in the trees, which Jackson reads
		assertThat(new RoomFiles(this.dir, mappers.get(1)).readCompact(json, 0, json.length)).isNotNull()
			.isEqualTo(new RoomFiles(this.dir, mappers.get(1), false).readWithJackson(json, 0, json.length));
	}

}
