package dev.roomkeeper.admin;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.roomkeeper.system.ProblemCode;
import dev.roomkeeper.system.RoomkeeperException;
import dev.roomkeeper.webhook.WebhookDelivery;
import dev.roomkeeper.webhook.WebhookReport;

/**
 * {@code GET /api/admin/webhooks} (endpoints with their pending and failed counts, and
 * every failed webhook) and {@code POST /api/admin/webhooks/{id}/retry} (send a failed
 * webhook again: 202, or 404 {@code not-found}).
 */
@RestController
@RequestMapping("/api/admin/webhooks")
class AdminWebhooksController {

	private final WebhookDelivery delivery;

	AdminWebhooksController(WebhookDelivery delivery) {
		this.delivery = delivery;
	}

	/** As {@link AdminController#requireAdmin}: only requests the filter let through. */
	@org.springframework.web.bind.annotation.ModelAttribute
	void requireAdmin(HttpServletRequest request) {
		if (!Boolean.TRUE.equals(request.getAttribute(AdminAccessFilter.AUTHORIZED))) {
			throw new RoomkeeperException(ProblemCode.NOT_FOUND, "No such resource");
		}
	}

	@GetMapping
	WebhookReport webhooks(HttpServletRequest request) {
		return this.delivery.report();
	}

	@PostMapping("/{id}/retry")
	ResponseEntity<Void> retry(@PathVariable String id, HttpServletRequest request) {
		if (!this.delivery.retry(id)) {
			throw new RoomkeeperException(ProblemCode.NOT_FOUND, "No failed webhook " + id);
		}
		return ResponseEntity.accepted().build();
	}

}
