package dev.roomkeeper.system;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class JsonFieldsTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void hasLoneSurrogateFindsEveryUnpairedHalfButNotAPair() {
		assertThat(JsonFields.hasLoneSurrogate("\ud800")).isTrue();
		assertThat(JsonFields.hasLoneSurrogate("ab\udc00")).isTrue();
		assertThat(JsonFields.hasLoneSurrogate("\ud800x")).isTrue();
		assertThat(JsonFields.hasLoneSurrogate("\udc00\ud800")).as("halves in the wrong order").isTrue();
		assertThat(JsonFields.hasLoneSurrogate("\ud83d\ude00\ud83d")).isTrue();
		assertThat(JsonFields.hasLoneSurrogate("")).isFalse();
		assertThat(JsonFields.hasLoneSurrogate("plain é ✓")).isFalse();
		assertThat(JsonFields.hasLoneSurrogate("\ud83d\ude00\ud83d\ude00")).isFalse();
	}

	@Test
	void rejectLoneSurrogatesNamesEachFieldAtAnyDepth() {
		JsonNode body = JSON.readTree("""
				{"name": "x\\ud800", "ok": "\\ud83d\\ude00", "state": {"items": [1, "fine", "\\udc00"],
				"deep": {"\\ud800key": true}}, "\\udfff": 1}""");
		assertThatExceptionOfType(RoomkeeperException.class).isThrownBy(() -> JsonFields.rejectLoneSurrogates(body))
			.satisfies((ex) -> {
				assertThat(ex.problem()).isEqualTo(ProblemCode.INVALID_REQUEST);
				assertThat(ex.errors()).extracting(RoomkeeperException.FieldError::field)
					.containsExactly("name", "state.items[2]", "state.deep", "body");
			});
	}

	@Test
	void rejectLoneSurrogatesAcceptsUnicodeAndNamesAtMostTenFields() {
		assertThatNoException().isThrownBy(() -> JsonFields.rejectLoneSurrogates(null));
		assertThatNoException().isThrownBy(() -> JsonFields
			.rejectLoneSurrogates(JSON.readTree("{\"name\": \"Zoë \\ud83d\\ude00\", \"n\": [1, null, true]}")));
		StringBuilder many = new StringBuilder("[");
		for (int i = 0; i < 50; i++) {
			many.append((i > 0) ? "," : "").append("\"\\ud800\"");
		}
		JsonNode array = JSON.readTree("{\"list\": " + many + "]}");
		assertThatExceptionOfType(RoomkeeperException.class).isThrownBy(() -> JsonFields.rejectLoneSurrogates(array))
			.satisfies((ex) -> assertThat(ex.errors()).hasSize(10));
	}

}
