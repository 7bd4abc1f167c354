package dev.roomkeeper.reliability;

/**
 * The fuzz run of {@code mvn verify}: 10,000 malformed STOMP frames, 1,000 malformed
 * WebSocket frames and 3,000 malformed HTTP requests ({@link AbstractFuzzTests}).
 */
class FuzzIntegrationTests extends AbstractFuzzTests {

	@Override
	int scale() {
		return 1;
	}

}
