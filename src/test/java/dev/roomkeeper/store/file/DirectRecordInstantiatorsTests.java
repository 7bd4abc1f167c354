package dev.roomkeeper.store.file;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.Room;
import dev.roomkeeper.support.TestRooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Records read with {@link DirectRecordInstantiators}: their constructors are called
 * directly, and what is read, or what fails, is what Jackson alone gives.
 */
class DirectRecordInstantiatorsTests {

	private final JsonMapper jackson = JsonMapper.builder().build();

	private final JsonMapper direct = JsonMapper.builder().addModule(DirectRecordInstantiators.module()).build();

	@Test
	void constructorsAreCalledWithoutInvokeWithArguments() {
		assertThat(this.jackson.readValue("{\"name\":\"a\",\"count\":1}", Traced.class).callers())
			.contains("java.lang.invoke.MethodHandle.invokeWithArguments");
		Traced traced = this.direct.readValue("{\"name\":\"a\",\"count\":1}", Traced.class);
		assertThat(traced.callers()).doesNotContain("java.lang.invoke.MethodHandle.invokeWithArguments");
		assertThat(traced.name()).isEqualTo("a");
		assertThat(traced.count()).isEqualTo(1);
	}

	@Test
	void readsWhatJacksonReads() {
		for (String json : List.of("{\"name\":\"a\",\"count\":1}", "{\"count\":\"7\"}", "{\"count\":3}",
				"{\"name\":\"b\",\"other\":true,\"count\":2}")) {
			assertThat(this.direct.readValue(json, Traced.class)).isEqualTo(this.jackson.readValue(json, Traced.class));
		}
		Room room = TestRooms.room("ABC234", Instant.parse("2030-01-01T00:00:00Z"));
		byte[] bytes = this.jackson.writeValueAsBytes(room);
		assertThat(this.direct.readValue(bytes, Room.class)).isEqualTo(this.jackson.readValue(bytes, Room.class))
			.isEqualTo(room);
	}

	@Test
	void aConstructorThatThrowsFailsAsWithJackson() {
		String json = "{\"value\":null}";
		Throwable expected = catchThrowable(() -> this.jackson.readValue(json, Required.class));
		assertThat(expected).isNotNull();
		assertThatThrownBy(() -> this.direct.readValue(json, Required.class)).isExactlyInstanceOf(expected.getClass())
			.hasMessage(expected.getMessage());
		// a room without members: the constructor's List.copyOf throws
		String room = "{\"code\":\"ABC234\",\"members\":null}";
		Throwable expectedRoom = catchThrowable(() -> this.jackson.readValue(room, Room.class));
		assertThat(expectedRoom).isNotNull();
		assertThatThrownBy(() -> this.direct.readValue(room, Room.class)).isExactlyInstanceOf(expectedRoom.getClass())
			.hasMessage(expectedRoom.getMessage());
	}

	/**
	 * A record that notes the frames that called its constructor (equal by its name and
	 * count).
	 */
	record Traced(String name, int count, List<String> callers) {

		Traced {
			callers = StackWalker.getInstance(StackWalker.Option.SHOW_REFLECT_FRAMES)
				.walk((frames) -> frames.map((frame) -> frame.getClassName() + "." + frame.getMethodName())
					.collect(Collectors.toList()));
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Traced traced && Objects.equals(this.name, traced.name)
					&& this.count == traced.count;
		}

		@Override
		public int hashCode() {
			return Objects.hash(this.name, this.count);
		}

	}

	record Required(String value) {

		Required {
			Objects.requireNonNull(value, "value");
		}

	}

}
