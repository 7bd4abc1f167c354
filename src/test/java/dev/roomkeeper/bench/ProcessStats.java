package dev.roomkeeper.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process, read from {@code /proc} (Linux).
 *
 * @param pid the process, or a negative number when unknown (then nothing is measured)
 */
record ProcessStats(long pid) {

	/** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ, 100 on Linux). */
	static final double TICKS_PER_SECOND = 100.0;

	static ProcessStats self() {
		return new ProcessStats(ProcessHandle.current().pid());
	}

	boolean known() {
		return this.pid >= 0;
	}

	/** User plus system CPU time in seconds, or -1 if unknown. */
	double cpuSeconds() {
		if (!known()) {
			return -1;
		}
		try {
			String stat = Files.readString(Path.of("/proc/" + this.pid + "/stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/**
	 * Bytes the process has caused to be written to storage so far ({@code write_bytes}
	 * of {@code /proc/<pid>/io}: files, counted when their pages are dirtied; not
	 * sockets), or -1 if unknown.
	 */
	long bytesToStorage() {
		if (!known()) {
			return -1;
		}
		try {
			for (String line : Files.readAllLines(Path.of("/proc/" + this.pid + "/io"))) {
				if (line.startsWith("write_bytes:")) {
					return Long.parseLong(line.substring(12).trim());
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// unknown
		}
		return -1;
	}

	/** Resident memory in KiB, or 0 if unknown. */
	long rssKiB() {
		if (!known()) {
			return 0;
		}
		try {
			for (String line : Files.readAllLines(Path.of("/proc/" + this.pid + "/status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// unknown
		}
		return 0;
	}

}
