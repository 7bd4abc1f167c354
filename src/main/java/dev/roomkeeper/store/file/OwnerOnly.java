package dev.roomkeeper.store.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Permissions of the file store: every file it writes is {@code 0600} and every directory
 * {@code 0700}, set explicitly after creation, so the umask does not matter. Rooms hold
 * their state, settings, member names and metadata: only the server's own user reads
 * them. On a file system without POSIX permissions nothing is changed.
 */
final class OwnerOnly {

	private static final Set<PosixFilePermission> FILE = EnumSet.of(PosixFilePermission.OWNER_READ,
			PosixFilePermission.OWNER_WRITE);

	private static final Set<PosixFilePermission> DIRECTORY = EnumSet.of(PosixFilePermission.OWNER_READ,
			PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

	private OwnerOnly() {
	}

	/** Makes a file {@code 0600}. */
	static void file(Path file) throws IOException {
		set(file, FILE);
	}

	/**
	 * Makes a file that already exists {@code 0600} unless it is: a file the store wrote
	 * is, and reading its mode costs less than a {@code chmod}, which also marks the
	 * file's inode for writing back to disk whether its mode changed or not (the loader
	 * does this for every room file at start-up).
	 */
	static void existingFile(Path file) throws IOException {
		PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
		if (view != null && !view.readAttributes().permissions().equals(FILE)) {
			view.setPermissions(FILE);
		}
	}

	/** Makes a directory {@code 0700}. */
	static void directory(Path dir) throws IOException {
		set(dir, DIRECTORY);
	}

	/** Creates a directory (and its parents) if missing, and makes it {@code 0700}. */
	static Path createDirectory(Path dir) throws IOException {
		Files.createDirectories(dir);
		directory(dir);
		return dir;
	}

	private static void set(Path path, Set<PosixFilePermission> permissions) throws IOException {
		PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
		if (view != null) {
			view.setPermissions(permissions);
		}
	}

}
