package dev.roomkeeper.room;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 7386 behaviour, including the examples of its appendix, without mutating the
 * inputs.
 */
class JsonMergePatchTests {

	private final JsonMapper json = JsonMapper.builder().build();

	private ObjectNode object(String text) {
		return (ObjectNode) this.json.readTree(text);
	}

	private String apply(String target, String patch) {
		return JsonMergePatch.apply(object(target), object(patch)).toString();
	}

	@Test
	void applyThenRfc7386Examples() {
		assertThat(apply("{\"a\":\"b\"}", "{\"a\":\"c\"}")).isEqualTo("{\"a\":\"c\"}");
		assertThat(apply("{\"a\":\"b\"}", "{\"b\":\"c\"}")).isEqualTo("{\"a\":\"b\",\"b\":\"c\"}");
		assertThat(apply("{\"a\":\"b\"}", "{\"a\":null}")).isEqualTo("{}");
		assertThat(apply("{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}")).isEqualTo("{\"b\":\"c\"}");
		assertThat(apply("{\"a\":[\"b\"]}", "{\"a\":\"c\"}")).isEqualTo("{\"a\":\"c\"}");
		assertThat(apply("{\"a\":\"c\"}", "{\"a\":[\"b\"]}")).isEqualTo("{\"a\":[\"b\"]}");
		assertThat(apply("{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}"))
			.isEqualTo("{\"a\":{\"b\":\"d\"}}");
		assertThat(apply("{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}")).isEqualTo("{\"a\":[1]}");
		assertThat(apply("{\"e\":null}", "{\"a\":1}")).isEqualTo("{\"e\":null,\"a\":1}");
		assertThat(apply("{}", "{\"a\":{\"bb\":{\"ccc\":null}}}")).isEqualTo("{\"a\":{\"bb\":{}}}");
	}

	@Test
	void applyThenInputsAreNotChanged() {
		ObjectNode target = object("{\"a\":{\"b\":1},\"c\":2}");
		ObjectNode patch = object("{\"a\":{\"b\":null,\"d\":3}}");

		ObjectNode result = JsonMergePatch.apply(target, patch);

		assertThat(result.toString()).isEqualTo("{\"a\":{\"d\":3},\"c\":2}");
		assertThat(target.toString()).isEqualTo("{\"a\":{\"b\":1},\"c\":2}");
		assertThat(patch.toString()).isEqualTo("{\"a\":{\"b\":null,\"d\":3}}");
	}

}
