package dev.roomkeeper.admin;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.Secrets;
import dev.roomkeeper.room.event.MemberRole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ArchivedRoomReaderTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

	private final ArchivedRoomReader reader = new ArchivedRoomReader(JSON, 1000, 2000);

	@Test
	void exportedRoomReadsBackEqual() {
		Room room = room();
		assertThat(this.reader.read(JSON.writeValueAsString(room))).isEqualTo(room);
	}

	@Test
	void lineThatIsNotJsonIsReportedWithoutRepeatingIt() {
		assertThat(problemOf("{\"code\": SECRET-TOKEN-VALUE")).isEqualTo("not valid JSON");
		assertThat(problemOf("[1,2]")).isEqualTo("not a JSON object");
	}

	@Test
	void wrongTypeNamesTheFieldNotTheValue() {
		String problem = problemOf(edit((room) -> room.put("maxMembers", "hunter2-password")));
		assertThat(problem).contains("maxMembers").doesNotContain("hunter2");
	}

	@Test
	void unknownFieldNamesAreNeverRepeatedInProblems() {
		String problem = problemOf(edit((room) -> room.putObject("members").put("s3cret-owner-token", 1)));
		assertThat(problem).doesNotContain("s3cret");
	}

	@Test
	void codeMustBeUpperCaseRoomCode() {
		assertThat(problemOf(edit((room) -> room.put("code", "abc234"))))
			.isEqualTo("code must be an upper-case room code");
		assertThat(problemOf(edit((room) -> room.put("code", "../../etc"))))
			.isEqualTo("code must be an upper-case room code");
	}

	@Test
	void hashesMustHaveTheShapeOfStoredHashesSoPlaintextNeverGetsIn() {
		assertThat(problemOf(edit((room) -> room.put("ownerTokenHash", "ABC234.plaintext-token"))))
			.isEqualTo("room ABC234: ownerTokenHash must be a stored token hash");
		assertThat(problemOf(edit((room) -> room.put("passwordHash", "plaintext password"))))
			.isEqualTo("room ABC234: passwordHash must be a bcrypt hash or null");
		assertThat(problemOf(edit((room) -> member(room, 0).put("tokenHash", "short"))))
			.isEqualTo("room ABC234: members[0].tokenHash must be a stored token hash");
	}

	@Test
	void membersMustBeUniqueByIdNameAndToken() {
		assertThat(problemOf(edit((room) -> member(room, 1).put("id", member(room, 0).get("id").asString()))))
			.isEqualTo("room ABC234: members[1].id is not unique");
		assertThat(problemOf(edit((room) -> member(room, 1).put("name", "ANN"))))
			.isEqualTo("room ABC234: members[1].name is not unique");
		assertThat(problemOf(
				edit((room) -> member(room, 1).put("tokenHash", member(room, 0).get("tokenHash").asString()))))
			.isEqualTo("room ABC234: members[1].tokenHash is not unique");
	}

	@Test
	void numbersAndTimesMustBeInRange() {
		assertThat(problemOf(edit((room) -> room.put("maxMembers", 0))))
			.isEqualTo("room ABC234: maxMembers must be between 1 and 1000");
		assertThat(problemOf(edit((room) -> room.put("version", -1))))
			.isEqualTo("room ABC234: version must be at least 0");
		assertThat(problemOf(edit((room) -> room.putNull("lastActivityAt"))))
			.isEqualTo("room ABC234: lastActivityAt is required");
	}

	@Test
	void stateAndSettingsAndMetadataKeepTheServerLimits() {
		assertThat(problemOf(edit((room) -> room.putObject("state").put("big", "x".repeat(3000)))))
			.isEqualTo("room ABC234: state is larger than 2000 bytes");
		assertThat(problemOf(edit((room) -> member(room, 0).putObject("metadata").put("big", "x".repeat(1500)))))
			.isEqualTo("room ABC234: members[0].metadata is larger than 1000 bytes");
		assertThat(problemOf(edit((room) -> room.put("settings", "not an object")))).startsWith("not an exported room");
	}

	private String problemOf(String line) {
		return assertThatExceptionOfType(ArchivedRoomReader.InvalidLineException.class)
			.isThrownBy(() -> this.reader.read(line))
			.actual()
			.getMessage();
	}

	private static String edit(Consumer<ObjectNode> change) {
		ObjectNode room = (ObjectNode) JSON.valueToTree(room());
		change.accept(room);
		return JSON.writeValueAsString(room);
	}

	private static ObjectNode member(ObjectNode room, int index) {
		return (ObjectNode) ((ArrayNode) room.get("members")).get(index);
	}

	private static Room room() {
		ObjectNode state = JsonNodeFactory.instance.objectNode().put("round", 3);
		ObjectNode metadata = JsonNodeFactory.instance.objectNode().put("x", 1);
		List<Member> members = List.of(
				new Member("m1", "Ann", MemberRole.OWNER, Secrets.hashToken("ABC234.ann"), false, NOW, NOW, metadata),
				new Member("m2", "Bob", MemberRole.MEMBER, Secrets.hashToken("ABC234.bob"), true, NOW, NOW,
						JsonNodeFactory.instance.objectNode()));
		return new Room("ABC234", "Quiz", Secrets.hashPassword("pw"), Secrets.hashToken("ABC234.owner"), true, false, 8,
				members, JsonNodeFactory.instance.objectNode().put("theme", "dark"), state, 5, 9, NOW, NOW, null);
	}

}
