package dev.roomkeeper.live;

/**
 * Where a client that subscribes to a room topic asks to resume: the headers
 * {@code since-seq} (the last seq it has) and {@code epoch} (the room's epoch it saw). A
 * malformed or lone header is a {@code problem} (answered with an {@code error} event and
 * a snapshot, the connection stays open).
 *
 * @param sinceSeq the last seq the client has
 * @param epoch the epoch it saw
 * @param problem why the headers cannot be used, or {@code null}
 */
record ResumePoint(long sinceSeq, String epoch, String problem) {

	static final String SINCE_SEQ = "since-seq";

	static final String EPOCH = "epoch";

	/** The resume point of a SUBSCRIBE, or {@code null} if it asks for none. */
	static ResumePoint of(StompFrame frame) {
		String since = frame.header(SINCE_SEQ);
		String epoch = frame.header(EPOCH);
		if (since == null && epoch == null) {
			return null;
		}
		if (since == null || epoch == null || epoch.isEmpty()) {
			return new ResumePoint(-1, epoch,
					"To resume, SUBSCRIBE with both since-seq and epoch (from the last snapshot); a snapshot follows");
		}
		try {
			long seq = Long.parseLong(since.trim());
			if (seq >= 0) {
				return new ResumePoint(seq, epoch, null);
			}
		}
		catch (NumberFormatException ex) {
			// answered below
		}
		return new ResumePoint(-1, epoch, "since-seq must be a whole number, 0 or more; a snapshot follows");
	}

}
