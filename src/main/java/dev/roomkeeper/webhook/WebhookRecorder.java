package dev.roomkeeper.webhook;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomWebhooks.PendingWebhook;
import dev.roomkeeper.room.event.RoomTopicEvent;

/**
 * Turns room events into webhooks for the outbox: {@code {type, timestamp, data: {room,
 * seq, ...the event's fields}}}, for the endpoints that want the type. The body is fixed
 * here, so every retry sends the same bytes under the same {@code webhook-id}.
 */
final class WebhookRecorder {

	private static final Map<String, String> TYPES = Map.of("closed", "room.closed", "warning", "room.warning",
			"member-joined", "member.joined", "member-removed", "member.removed", "member-connected",
			"member.connected", "member-disconnected", "member.disconnected", "settings", "room.settings", "state",
			"room.state");

	private static final SecureRandom RANDOM = new SecureRandom();

	private final WebhookEndpoints endpoints;

	private final JsonMapper jsonMapper;

	WebhookRecorder(WebhookEndpoints endpoints, JsonMapper jsonMapper) {
		this.endpoints = endpoints;
		this.jsonMapper = jsonMapper;
	}

	boolean enabled() {
		return this.endpoints.enabled();
	}

	/** Whether a room event of this type raises a webhook for some endpoint. */
	boolean raises(String eventType) {
		String type = TYPES.get(eventType);
		return type != null && !this.endpoints.keysFor(type).isEmpty();
	}

	/** The webhooks a change's events raise (none for messages, presence, errors). */
	List<PendingWebhook> raised(List<RoomTopicEvent> events) {
		if (!enabled()) {
			return List.of();
		}
		List<PendingWebhook> raised = new ArrayList<>();
		for (RoomTopicEvent event : events) {
			String type = TYPES.get(event.type());
			if (type == null) {
				continue;
			}
			List<String> keys = this.endpoints.keysFor(type);
			if (keys.isEmpty()) {
				continue;
			}
			ObjectNode data = this.jsonMapper.valueToTree(event);
			data.remove("type");
			data.remove("at");
			raised.add(webhook(event.room(), type, event.seq(), event.at(), data, keys));
		}
		return raised;
	}

	/** {@code room.created}: {@code {room, seq, name, joinPolicy}}. */
	List<PendingWebhook> created(Room room) {
		List<String> keys = enabled() ? this.endpoints.keysFor("room.created") : List.of();
		if (keys.isEmpty()) {
			return List.of();
		}
		ObjectNode data = JsonNodeFactory.instance.objectNode();
		data.put("room", room.code());
		data.put("seq", room.seq());
		data.put("name", room.name());
		data.put("joinPolicy", room.access().joinPolicy());
		return List.of(webhook(room.code(), "room.created", room.seq(), room.createdAt(), data, keys));
	}

	private PendingWebhook webhook(String code, String type, long seq, Instant at, ObjectNode data, List<String> keys) {
		ObjectNode body = JsonNodeFactory.instance.objectNode();
		body.put("type", type);
		body.put("timestamp", at.toString());
		body.set("data", data);
		return new PendingWebhook(newId(code), type, seq, at, this.jsonMapper.writeValueAsString(body), keys,
				List.of());
	}

	/** {@code msg_<CODE>_<64 random bits>}: the room is part of the id (admin retry). */
	private static String newId(String code) {
		byte[] bytes = new byte[8];
		RANDOM.nextBytes(bytes);
		return "msg_" + code + "_" + HexFormat.of().formatHex(bytes);
	}

	/**
	 * The {@code webhook-id} of a webhook for one endpoint: unique per event and
	 * endpoint.
	 */
	static String webhookId(PendingWebhook webhook, String endpointKey) {
		return webhook.id() + "_" + endpointKey;
	}

}
