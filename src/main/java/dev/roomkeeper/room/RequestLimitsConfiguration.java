package dev.roomkeeper.room;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.roomkeeper.system.RequestSizeLimitFilter;

/**
 * The largest API request body: a state patch or message at its limit, plus room for the
 * rest of the request ({@code rooms.limits.state-bytes} +
 * {@code rooms.limits.message-bytes}).
 */
@Configuration(proxyBeanMethods = false)
class RequestLimitsConfiguration {

	@Bean
	RequestSizeLimitFilter requestSizeLimitFilter(RoomProperties properties, JsonMapper jsonMapper) {
		long limit = properties.getLimits().getStateBytes().toBytes()
				+ properties.getLimits().getMessageBytes().toBytes();
		return new RequestSizeLimitFilter(limit, jsonMapper);
	}

}
