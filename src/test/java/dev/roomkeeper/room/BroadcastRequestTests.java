package dev.roomkeeper.room;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.system.JsonFields;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A live broadcast body read in one pass (its {@code data} kept as sent) gives the same
 * message, and the same errors, as reading it as a tree.
 */
class BroadcastRequestTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void readWhenDataIsAnObjectOrArrayThenItIsCarriedAsSent() {
		assertThat(dataAsWritten("{\"data\":{\"n\":1.0e2,\"s\":\"\\u00e9\"}}"))
			.isEqualTo("{\"n\":1.0e2,\"s\":\"\\u00e9\"}");
		assertThat(dataAsWritten("{ \"to\" : \"all\" , \"data\" : [1, {\"a\": []}] , \"x\": {\"y\": [null]} }"))
			.isEqualTo("[1, {\"a\": []}]");
	}

	@Test
	void readWhenTheBodyIsPlainThenTheDataEqualsTheTreeReadingsData() {
		List<String> bodies = List.of("{\"data\":{}}", "{\"data\":[]}",
				"{\"data\":{\"a\":{\"b\":[1,2.5,-3e-2,true,null]}}}",
				"{\"data\":{\"emoji\":\"\\ud83d\\ude00 😀\",\"quote\":\"\\\"\\\\\\/\"}}",
				"{\"other\":1,\"data\":[\"x\"]}", "{\"data\":{\"big\":123456789012345678901234567890}}",
				"{\"data\":{\"é\":\"ü\"},\"z\":[{}]}");
		for (String body : bodies) {
			JsonNode fast = BroadcastRequest.read(this.json, bytes(body)).data();
			assertThat(this.json.readTree(this.json.writeValueAsString(fast))).as(body).isEqualTo(treeReading(body));
		}
	}

	@Test
	void readWhenTheBodyIsNotPlainThenTheAnswerIsTheTreeReadings() {
		List<String> bodies = List.of("", "{}", "[]", "5", "{\"data\":5}", "{\"data\":\"text\"}", "{\"data\":null}",
				"{\"data\":{},\"data\":[1]}", "{\"data\":{}} {}", "{\"data\":{", "{\"data\":{\"a\":\"\\ud800\"}}",
				"{\"x\":\"\\udc00\",\"data\":{}}", "{\"data\":{\"\\ud800\":1}}", "{\"data\":{\n\"a\":1}}",
				"{\"data\":[1,]}", "not json");
		for (String body : bodies) {
			Throwable expectedFailure = catchThrowable(() -> treeReading(body));
			Throwable failure = catchThrowable(() -> BroadcastRequest.read(this.json, bytes(body)));
			if (expectedFailure == null) {
				assertThat(failure).as(body).isNull();
				JsonNode data = BroadcastRequest.read(this.json, bytes(body)).data();
				assertThat(this.json.writeValueAsString(data)).as(body)
					.isEqualTo(this.json.writeValueAsString(treeReading(body)));
			}
			else {
				assertThat(failure).as(body).isNotNull().hasSameClassAs(expectedFailure);
				assertThat(failure.getMessage()).as(body).isEqualTo(expectedFailure.getMessage());
			}
		}
	}

	private String dataAsWritten(String body) {
		return this.json.writeValueAsString(BroadcastRequest.read(this.json, bytes(body)).data());
	}

	private JsonNode treeReading(String body) {
		return BroadcastRequest.from(JsonFields.read(this.json, bytes(body))).data();
	}

	private static byte[] bytes(String body) {
		return body.getBytes(StandardCharsets.UTF_8);
	}

}
