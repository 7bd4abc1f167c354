package dev.roomkeeper.lifecycle;

import java.time.Duration;

/**
 * What one sweep did.
 *
 * @param closed rooms closed for inactivity
 * @param warned rooms that got their closing-soon {@code warning}
 * @param staleMembersRemoved disconnected members removed as stale
 * @param took how long the sweep took, storing included
 * @param storing how much of it went to storing the changes (one flush of the store)
 */
public record SweepResult(int closed, int warned, int staleMembersRemoved, Duration took, Duration storing) {

}
