package dev.roomkeeper.reliability;

/**
 * The timing check of {@code mvn verify}: 30 pairs ({@link AbstractLookupTimingTests}),
 * within 25%, so a busy build machine does not fail it; a leak (a missing room answered
 * without the cost of a password check) is far larger than that. The stress profile's
 * {@link LookupTimingStressTests} holds the medians of 1,000 pairs to 10%.
 */
class LookupTimingIntegrationTests extends AbstractLookupTimingTests {

	@Override
	int samples() {
		return 30;
	}

	@Override
	double tolerance() {
		return 0.25;
	}

}
