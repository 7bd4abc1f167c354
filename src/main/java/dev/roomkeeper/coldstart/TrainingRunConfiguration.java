package dev.roomkeeper.coldstart;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Adds the {@link TrainingRun} when {@code rooms.training-run.enabled=true}; otherwise
 * nothing.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("rooms.training-run.enabled")
class TrainingRunConfiguration {

	@Bean
	TrainingRun trainingRun(TrainingRunProperties properties, JsonMapper json) {
		return new TrainingRun(properties, json);
	}

}
