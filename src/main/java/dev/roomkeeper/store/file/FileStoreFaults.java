package dev.roomkeeper.store.file;

import java.io.IOException;

/**
 * A test seam of the file store: called just before each real write, force and move step,
 * so a test can make that step fail with an {@link IOException} (once, or until it clears
 * the fault) and check what callers, health and the disk show.
 * <p>
 * Production code never installs one: the default, {@link #NONE}, does nothing (one
 * volatile read and an empty call per step, next to an {@code fsync} or a file write).
 * Tests install one through {@link JsonFileRoomRepository#injectFaults}.
 */
@FunctionalInterface
interface FileStoreFaults {

	/** Does nothing: every step runs. */
	FileStoreFaults NONE = (step) -> {
	};

	/**
	 * Called before a step runs.
	 * @param step the step about to run
	 * @throws IOException to make the step fail as if the disk had failed it
	 */
	void before(Step step) throws IOException;

	/** The steps that can fail. */
	enum Step {

		/** Appending a batch of records to the journal's current segment. */
		JOURNAL_WRITE,

		/** Forcing a batch of records ({@code FileChannel.force}). */
		JOURNAL_FORCE,

		/** Writing a room's temp file ({@code CODE.json.tmp}) in a checkpoint. */
		ROOM_FILE_WRITE,

		/** Forcing a room's temp file. */
		ROOM_FILE_FORCE,

		/** Renaming a room's temp file over its room file (atomic move). */
		ROOM_FILE_MOVE,

		/** Forcing the store directory after a checkpoint's renames. */
		DIRECTORY_FORCE

	}

}
