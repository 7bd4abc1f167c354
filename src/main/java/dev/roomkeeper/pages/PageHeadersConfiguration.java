package dev.roomkeeper.pages;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.roomkeeper.system.PageHeadersFilter;

/**
 * Locks the lobby and the room page down, as they hold member and owner tokens (see
 * {@link PageHeadersFilter}).
 */
@Configuration(proxyBeanMethods = false)
class PageHeadersConfiguration {

	@Bean
	PageHeadersFilter pageHeadersFilter() {
		return PageHeadersFilter.forPaths("/", "/index.html", "/room.html", "/r/**");
	}

}
