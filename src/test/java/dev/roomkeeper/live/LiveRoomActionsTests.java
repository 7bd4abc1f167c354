package dev.roomkeeper.live;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.FailedLookupLimiter;
import dev.roomkeeper.room.RoomChange;
import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.room.event.PublishedEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.room.Secrets;
import dev.roomkeeper.store.memory.InMemoryRoomRepository;
import dev.roomkeeper.support.TestRooms;
import dev.roomkeeper.system.ProblemCode;
import dev.roomkeeper.system.RoomkeeperException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A broadcast SEND without a receipt may finish after the frame is handled (the Redis
 * store answers later); with a receipt, or when the store answers at once, it is finished
 * on return and a failure is thrown as before.
 */
class LiveRoomActionsTests {

	private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

	private static final String BROADCAST = "/app/rooms/ABC234/broadcast";

	private static final byte[] HELLO = "{\"data\":\"hello\"}".getBytes(StandardCharsets.UTF_8);

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final RoomEventBus eventBus = new RoomEventBus(this.jsonMapper);

	private final List<PublishedEvent> events = new ArrayList<>();

	private final LaterStore store = new LaterStore(this.eventBus);

	private final LiveRoomActions actions;

	private final List<RuntimeException> lateFailures = new ArrayList<>();

	private final RoomService.Credential ann = new RoomService.Credential(Secrets.hashToken("token-m1"), false);

	LiveRoomActionsTests() {
		RoomProperties properties = new RoomProperties();
		Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
		RoomService rooms = new RoomService(this.store, properties, new FailedLookupLimiter(properties, clock),
				this.jsonMapper, clock);
		this.actions = new LiveRoomActions(rooms, this.jsonMapper);
		this.eventBus.addListener(this.events::add);
		this.store.create(TestRooms.room("ABC234", NOW).withAddedMember(TestRooms.member("m1", "Ann", NOW)));
	}

	@Test
	void broadcastWithoutReceiptWhenTheStoreAnswersLaterThenPerformReturnsFirstAndTheMessageFollows() {
		this.store.answerLater = true;

		this.actions.perform("ABC234", this.ann, BROADCAST, HELLO, () -> {
		}, this.lateFailures::add);

		assertThat(this.events).isEmpty();
		this.store.answer();
		assertThat(this.events).singleElement().satisfies((event) -> {
			assertThat(event.type()).isEqualTo("message");
			assertThat(event.seq()).isEqualTo(1);
		});
		assertThat(this.lateFailures).isEmpty();
	}

	@Test
	void broadcastWithoutReceiptWhenItFailsAfterPerformReturnedThenTheFailureIsReportedLate() {
		this.store.answerLater = true;
		RoomService.Credential stranger = new RoomService.Credential(Secrets.hashToken("not-a-token"), false);

		this.actions.perform("ABC234", stranger, BROADCAST, HELLO, () -> {
		}, this.lateFailures::add);
		assertThat(this.lateFailures).isEmpty();
		this.store.answer();

		assertThat(this.lateFailures).singleElement()
			.isInstanceOfSatisfying(RoomkeeperException.class,
					(failure) -> assertThat(failure.problem()).isEqualTo(ProblemCode.UNAUTHORIZED));
		assertThat(this.events).isEmpty();
	}

	@Test
	void broadcastWithoutReceiptWhenTheStoreAnswersAtOnceThenAFailureIsThrownAsForAnyFrame() {
		RoomService.Credential stranger = new RoomService.Credential(Secrets.hashToken("not-a-token"), false);

		assertThatThrownBy(() -> this.actions.perform("ABC234", stranger, BROADCAST, HELLO, () -> {
		}, this.lateFailures::add)).isInstanceOfSatisfying(RoomkeeperException.class,
				(failure) -> assertThat(failure.problem()).isEqualTo(ProblemCode.UNAUTHORIZED));
		assertThat(this.lateFailures).isEmpty();
	}

	@Test
	void broadcastWithReceiptThenTheMessageIsStoredBeforePerformReturns() {
		this.store.answerLater = true;

		this.actions.perform("ABC234", this.ann, BROADCAST, HELLO, () -> {
		}, null);

		assertThat(this.events).extracting(PublishedEvent::seq).containsExactly(1L);
		assertThat(this.store.waiting).isNull();
	}

	/**
	 * The memory store, except that when {@code answerLater} is set a background change
	 * is only applied when the test calls {@link #answer}, as a store that answers later
	 * would.
	 */
	private static final class LaterStore extends InMemoryRoomRepository {

		private boolean answerLater;

		private Runnable waiting;

		LaterStore(RoomEventBus eventBus) {
			super(eventBus);
		}

		@Override
		public <R> CompletionStage<Optional<R>> updateInBackground(String code, RoomChange<R> change,
				Durability durability) {
			if (!this.answerLater) {
				return super.updateInBackground(code, change, durability);
			}
			CompletableFuture<Optional<R>> answered = new CompletableFuture<>();
			this.waiting = () -> {
				try {
					answered.complete(update(code, change, durability));
				}
				catch (RuntimeException ex) {
					answered.completeExceptionally(ex);
				}
			};
			return answered;
		}

		void answer() {
			Runnable answer = this.waiting;
			this.waiting = null;
			answer.run();
		}

	}

}
