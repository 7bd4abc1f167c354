package dev.roomkeeper.reliability;

/**
 * The timing check of {@code mvn verify}: 30 pairs ({@link AbstractLookupTimingTests}).
 */
class LookupTimingIntegrationTests extends AbstractLookupTimingTests {

	@Override
	int samples() {
		return 30;
	}

}
