package dev.roomkeeper.store.file;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.AbstractRoomRepositoryIndexTests;
import dev.roomkeeper.store.RoomRepository;

import static org.assertj.core.api.Assertions.assertThat;

class JsonFileRoomRepositoryIndexTests extends AbstractRoomRepositoryIndexTests {

	@TempDir
	Path dir;

	/** The file store loads members as disconnected at this time. */
	private final Clock loadClock = Clock.fixed(at(30), ZoneOffset.UTC);

	@Override
	protected RoomRepository createRepository(RoomEventBus eventBus, JsonMapper jsonMapper) {
		return new JsonFileRoomRepository(this.dir, Duration.ofMillis(50), jsonMapper, eventBus, this.loadClock);
	}

	@Override
	protected void closeRepository(RoomRepository repository) {
		((JsonFileRoomRepository) repository).close();
	}

	@Test
	void reopenedStoreIndexesEveryLoadedRoom() {
		create(room("AAA", at(2), connected("a1", at(0))));
		create(room("BBB", at(1), disconnected("b1", at(1))));
		closeRepository(this.repository);
		this.repository = createRepository(this.eventBus, this.jsonMapper);
		assertThat(this.repository.findInactiveSince(at(2), 10)).containsExactly("BBB", "AAA");
		assertThat(this.repository.findUnwarnedInactiveSince(at(2), 10)).containsExactly("BBB", "AAA");
		// a1 was connected when the store closed: it comes back disconnected, seen at the
		// load
		assertThat(this.repository.findWithMembersDisconnectedSince(at(29), 10)).containsExactly("BBB");
		assertThat(this.repository.findWithMembersDisconnectedSince(at(30), 10)).containsExactly("BBB", "AAA");
		assertThat(this.repository.findWithoutConnectedMembers(10)).containsExactly("BBB", "AAA");
	}

}
