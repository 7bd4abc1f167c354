package dev.roomkeeper.admin;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import dev.roomkeeper.system.PageHeadersFilter;

/**
 * Serves the admin page at {@code /admin}: a static page
 * ({@code static/admin/index.html}) that talks to the admin API with the token typed in,
 * locked down like the other pages, as it holds the admin token.
 */
@Configuration(proxyBeanMethods = false)
class AdminWebConfiguration implements WebMvcConfigurer {

	@Override
	public void addViewControllers(ViewControllerRegistry registry) {
		registry.addViewController("/admin").setViewName("forward:/admin/index.html");
		registry.addViewController("/admin/").setViewName("forward:/admin/index.html");
	}

	@Bean
	PageHeadersFilter adminPageHeadersFilter() {
		return PageHeadersFilter.forPaths("/admin", "/admin/**");
	}

}
