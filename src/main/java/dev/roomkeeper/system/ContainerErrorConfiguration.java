package dev.roomkeeper.system;

import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Replaces Tomcat's HTML error report (the one Spring Boot configures too) with
 * {@link ProblemErrorReportValve}, so errors raised by the container itself answer
 * {@code problem+json}. Runs after Spring Boot's own customizer.
 */
@Configuration(proxyBeanMethods = false)
class ContainerErrorConfiguration {

	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports(JsonMapper jsonMapper) {
		return (factory) -> factory.addContextCustomizers((context) -> useProblemReports(context, jsonMapper));
	}

	private static void useProblemReports(Context context, JsonMapper jsonMapper) {
		Container host = context.getParent();
		for (Valve valve : host.getPipeline().getValves()) {
			if (valve instanceof ErrorReportValve) {
				host.getPipeline().removeValve(valve);
			}
		}
		host.getPipeline().addValve(new ProblemErrorReportValve(jsonMapper));
		if (host instanceof StandardHost standardHost) {
			// Otherwise the host adds Tomcat's own report when it starts.
			standardHost.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
		}
	}

}
