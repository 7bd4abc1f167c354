package dev.roomkeeper.webhook;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/admin/webhooks}: {@code {endpoints: [{url, pending, failed, lastError,
 * lastSuccessAt}], failed: [{id, type, room, attempts, lastError}]}}. {@code lastError}
 * and {@code lastSuccessAt} are this instance's.
 */
public record WebhookReport(List<Endpoint> endpoints, List<Failed> failed) {

	public record Endpoint(String url, long pending, long failed, String lastError, Instant lastSuccessAt) {
	}

	public record Failed(String id, String type, String room, int attempts, String lastError) {
	}

}
