package dev.roomkeeper.reliability;

/**
 * The timing check of {@code -Pstress}: 1,000 pairs ({@link AbstractLookupTimingTests}).
 */
class LookupTimingStressTests extends AbstractLookupTimingTests {

	@Override
	int samples() {
		return 1_000;
	}

}
