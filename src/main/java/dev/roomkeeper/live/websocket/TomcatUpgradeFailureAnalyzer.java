package dev.roomkeeper.live.websocket;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link TomcatUpgradeUnavailableException} into a short start-up failure report
 * that says what to do, without a stack trace.
 */
class TomcatUpgradeFailureAnalyzer extends AbstractFailureAnalyzer<TomcatUpgradeUnavailableException> {

	static final String ACTION = "Run Roomkeeper on the embedded Tomcat of spring-boot-starter-tomcat (the default; "
			+ "do not swap it for Jetty or Undertow), in the Tomcat version that the Spring Boot parent in pom.xml "
			+ "manages. Before moving to another Tomcat version, run the WebSocket tests "
			+ "(dev.roomkeeper.live.websocket, WebSocketProtocolIntegrationTests).";

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, TomcatUpgradeUnavailableException cause) {
		return new FailureAnalysis(cause.getMessage(), ACTION, cause);
	}

}
