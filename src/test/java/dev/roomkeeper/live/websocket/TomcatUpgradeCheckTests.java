package dev.roomkeeper.live.websocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.DefaultResourceLoader;

import dev.roomkeeper.RoomkeeperApplication;
import dev.roomkeeper.support.ExpectedErrorLogs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link TomcatUpgradeCheck}: the WebSocket layer refuses to start, with a message that
 * says why and what to do, on another servlet container or without Tomcat's internal
 * upgrade API.
 */
@ExtendWith(OutputCaptureExtension.class)
class TomcatUpgradeCheckTests {

	@Test
	void upgradeApiWhenTomcatIsOnTheClassPathThenPasses() {
		assertThatNoException()
			.isThrownBy(() -> TomcatUpgradeCheck.requireUpgradeApi(TomcatUpgradeCheckTests.class.getClassLoader()));
	}

	@Test
	void upgradeApiWhenTomcatClassesAreMissingThenNamesThem() {
		assertThatThrownBy(() -> TomcatUpgradeCheck.requireUpgradeApi(withoutTomcat()))
			.isInstanceOf(TomcatUpgradeUnavailableException.class)
			.hasMessageContaining("needs Tomcat's internal upgrade API")
			.hasMessageContaining("class org.apache.coyote.http11.upgrade.InternalHttpUpgradeHandler cannot be loaded")
			.hasMessageContaining("class org.apache.tomcat.util.net.SocketWrapperBase cannot be loaded")
			.hasMessageContaining("class org.apache.tomcat.util.net.NioChannel cannot be loaded");
	}

	@Test
	void containerWhenTomcatThenPasses() {
		assertThatNoException().isThrownBy(() -> TomcatUpgradeCheck.requireTomcat("Apache Tomcat/11.0.27"));
	}

	@Test
	void containerWhenNotTomcatThenNamesIt() {
		assertThatThrownBy(() -> TomcatUpgradeCheck.requireTomcat("jetty/12.1.0"))
			.isInstanceOf(TomcatUpgradeUnavailableException.class)
			.hasMessageContaining("runs only on Tomcat")
			.hasMessageContaining("'jetty/12.1.0'");
	}

	@Test
	void failureAnalysisSaysWhatToDo() {
		TomcatUpgradeUnavailableException failure = new TomcatUpgradeUnavailableException("not Tomcat");
		FailureAnalysis analysis = new TomcatUpgradeFailureAnalyzer()
			.analyze(new IllegalStateException("wrapped", failure));

		assertThat(analysis.getDescription()).isEqualTo("not Tomcat");
		assertThat(analysis.getAction()).contains("embedded Tomcat").contains("pom.xml");
	}

	@Test
	@ExpectedErrorLogs(value = "org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter",
			because = "the application is started without Tomcat's classes on purpose")
	void startWhenTomcatClassesAreMissingThenStopsBeforeAnyBean(CapturedOutput output) {
		SpringApplicationBuilder application = new SpringApplicationBuilder(RoomkeeperApplication.class)
			.resourceLoader(new DefaultResourceLoader(withoutTomcat()));

		assertThatThrownBy(() -> application.run("--server.port=0", "--rooms.store.type=memory"))
			.isInstanceOf(TomcatUpgradeUnavailableException.class)
			.hasMessageContaining("InternalHttpUpgradeHandler cannot be loaded");
		assertThat(output).doesNotContain("Tomcat started on port");
	}

	/** A class loader that cannot see Tomcat's internal packages. */
	private static ClassLoader withoutTomcat() {
		return new ClassLoader(TomcatUpgradeCheckTests.class.getClassLoader()) {

			@Override
			protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
				if (name.startsWith("org.apache.coyote.") || name.startsWith("org.apache.tomcat.util.net.")) {
					throw new ClassNotFoundException(name);
				}
				return super.loadClass(name, resolve);
			}

		};
	}

}
