package dev.roomkeeper.reliability;

/**
 * The fuzz run of {@code -Pstress}: {@code reliability.scale} (default 10) times the
 * verify run, with another seed each time unless {@code reliability.seed} is set.
 */
class FuzzStressTests extends AbstractFuzzTests {

	@Override
	int scale() {
		return Integer.getInteger("reliability.scale", 10);
	}

}
