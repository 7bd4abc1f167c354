package dev.roomkeeper.store.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import dev.roomkeeper.room.StoreStartupException;

/**
 * An exclusive lock on {@code .lock} in the store directory, held while the store is
 * open, so two server processes never write the same rooms.
 */
final class StoreDirectoryLock implements AutoCloseable {

	private final FileChannel channel;

	private final FileLock lock;

	private StoreDirectoryLock(FileChannel channel, FileLock lock) {
		this.channel = channel;
		this.lock = lock;
	}

	static StoreDirectoryLock acquire(Path dir) throws IOException {
		FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE);
		try {
			OwnerOnly.file(dir.resolve(".lock"));
		}
		catch (IOException ex) {
			channel.close();
			throw ex;
		}
		FileLock lock;
		try {
			lock = channel.tryLock();
		}
		catch (OverlappingFileLockException ex) {
			lock = null;
		}
		if (lock == null) {
			channel.close();
			throw new StoreLockedException(dir);
		}
		return new StoreDirectoryLock(channel, lock);
	}

	@Override
	public void close() throws IOException {
		try {
			this.lock.release();
		}
		finally {
			this.channel.close();
		}
	}

	/** Start-up is refused: another Roomkeeper process uses the directory. */
	public static final class StoreLockedException extends StoreStartupException {

		StoreLockedException(Path dir) {
			super("Another Roomkeeper process is using the store directory " + dir.toAbsolutePath()
					+ " (rooms.store.dir). Stop that process, or give this one another directory.");
		}

	}

}
