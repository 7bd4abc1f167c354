package dev.roomkeeper.store;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.file.JsonFileRoomRepository;

import static org.assertj.core.api.Assertions.assertThat;

class JsonFileRoomRepositoryPagingTests extends AbstractRoomPagingContractTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	Path dir;

	private JsonFileRoomRepository repository;

	@Override
	protected RoomRepository createRepository() {
		this.repository = open();
		return this.repository;
	}

	private JsonFileRoomRepository open() {
		return new JsonFileRoomRepository(this.dir, Duration.ofSeconds(1), JSON, new RoomEventBus(JSON),
				Clock.systemUTC());
	}

	@AfterEach
	void close() {
		this.repository.close();
	}

	@Test
	void findPageAfterRestartWalksRoomsLoadedFromFiles() {
		this.repository.create(room("BBB"));
		this.repository.create(room("AAA"));
		this.repository.close();
		this.repository = open();
		assertThat(this.repository.findPage(null, 10)).extracting(dev.roomkeeper.room.Room::code)
			.containsExactly("AAA", "BBB");
	}

}
