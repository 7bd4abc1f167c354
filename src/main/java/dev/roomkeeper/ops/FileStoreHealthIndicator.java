package dev.roomkeeper.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import dev.roomkeeper.store.file.JsonFileRoomRepository;

/**
 * Health of the file store: UP while its directory exists, is writable, has at least
 * {@code minFreeBytes} free, and the last batch of changes was stored. Details:
 * {@code type}, {@code directory}, {@code writable}, {@code freeBytes},
 * {@code minFreeBytes}, {@code rooms} and, after a failed write, {@code lastWriteError}.
 */
class FileStoreHealthIndicator extends AbstractHealthIndicator {

	/** Below this the store reports DOWN: a full disk fails every durable write. */
	static final long DEFAULT_MIN_FREE_BYTES = 10L * 1024 * 1024;

	private final JsonFileRoomRepository repository;

	private final long minFreeBytes;

	FileStoreHealthIndicator(JsonFileRoomRepository repository, long minFreeBytes) {
		super("File store health check failed");
		this.repository = repository;
		this.minFreeBytes = minFreeBytes;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws IOException {
		Path dir = this.repository.directory();
		boolean writable = Files.isDirectory(dir) && Files.isWritable(dir);
		long free = Files.getFileStore(dir).getUsableSpace();
		String lastWriteError = this.repository.lastWriteError();
		boolean up = writable && free >= this.minFreeBytes && lastWriteError == null;
		builder.status(up ? Status.UP : Status.DOWN)
			.withDetail("type", "file")
			.withDetail("directory", dir.toAbsolutePath().toString())
			.withDetail("writable", writable)
			.withDetail("freeBytes", free)
			.withDetail("minFreeBytes", this.minFreeBytes)
			.withDetail("rooms", this.repository.count());
		if (lastWriteError != null) {
			builder.withDetail("lastWriteError", lastWriteError);
		}
	}

}
