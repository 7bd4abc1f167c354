package dev.roomkeeper.coldstart;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The training run ({@code rooms.training-run.*}): a start of the server that drives its
 * own API for a while and exits, so that a JDK AOT cache recorded during it knows the
 * classes and hot methods of real requests. Never enable it on a server that serves
 * users.
 *
 * @param enabled whether this start is a training run (off by default)
 * @param duration how long the run drives the API before the server exits
 * @param workers how many rooms are driven at once
 * @param seedRooms how many rooms (of two members) the run creates first and leaves open,
 * so that a later training run on the same store loads them at start-up
 */
@ConfigurationProperties("rooms.training-run")
public record TrainingRunProperties(@DefaultValue("false") boolean enabled, @DefaultValue("15s") Duration duration,
		@DefaultValue("4") int workers, @DefaultValue("0") int seedRooms) {

}
