package dev.roomkeeper.store;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.roomkeeper.room.StoreStartupException;

/**
 * Turns a {@link StoreStartupException} into a short start-up failure report, without a
 * stack trace.
 */
class StoreFailureAnalyzer extends AbstractFailureAnalyzer<StoreStartupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, StoreStartupException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Check the rooms.store.* settings (rooms.store.type, rooms.store.dir, spring.data.redis.url).", cause);
	}

}
