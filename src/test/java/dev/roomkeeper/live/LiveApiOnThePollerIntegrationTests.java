package dev.roomkeeper.live;

import org.springframework.test.context.TestPropertySource;

/**
 * The whole {@link LiveApiIntegrationTests} suite with live connections' reads handled on
 * Tomcat's poller thread ({@code rooms.live.read-on-poller=on}).
 */
@TestPropertySource(properties = "rooms.live.read-on-poller=on")
class LiveApiOnThePollerIntegrationTests extends LiveApiIntegrationTests {

}
