package dev.roomkeeper.system;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogLineTests {

	@Test
	void simpleValuesAreWrittenBare() {
		assertThat(LogLine.of("room-closed").with("room", "ABC234").with("reason", "owner").with("members", 3))
			.hasToString("event=room-closed room=ABC234 reason=owner members=3");
	}

	@Test
	void valuesWithSpacesQuotesOrEqualsAreQuotedSoLineStaysParseable() {
		assertThat(LogLine.of("x").with("dir", "/tmp/my rooms").with("error", "say \"hi\"").with("expr", "a=b"))
			.hasToString("event=x dir=\"/tmp/my rooms\" error=\"say \\\"hi\\\"\" expr=\"a=b\"");
	}

	@Test
	void newlinesCannotForgeSecondLogLine() {
		assertThat(LogLine.of("x").with("name", "ok\nevent=forged").toString()).doesNotContain("\n")
			.isEqualTo("event=x name=\"ok\\nevent=forged\"");
	}

	@Test
	void nullAndEmptyValuesAreVisible() {
		assertThat(LogLine.of("x").with("a", null).with("b", "")).hasToString("event=x a=null b=\"\"");
	}

}
