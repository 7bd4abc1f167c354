package dev.roomkeeper.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Pins the direction of dependencies between Roomkeeper's packages (the production
 * classes only): {@code system} (web and JSON plumbing) at the bottom, the {@code room}
 * domain (with its repository contract, events and presence interface) on it, the stores
 * and the features above, and no cycles between any two packages.
 */
class PackageDependencyTests {

	private static final String ROOT = "dev.roomkeeper";

	private static JavaClasses classes;

	@BeforeAll
	static void importClasses() {
		classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages(ROOT);
	}

	@Test
	void noCyclesBetweenPackages() {
		ArchRule rule = slices().matching(ROOT + ".(**)").should().beFreeOfCycles();
		rule.check(classes);
	}

	@Test
	void systemDependsOnNoFeature() {
		ArchRule rule = noClasses().that()
			.resideInAPackage(ROOT + ".system..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(featurePackages());
		rule.check(classes);
	}

	@Test
	void roomDomainDependsOnlyOnSystem() {
		ArchRule rule = noClasses().that()
			.resideInAPackage(ROOT + ".room..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ROOT + ".store..", ROOT + ".live..", ROOT + ".lifecycle..", ROOT + ".admin..",
					ROOT + ".ops..", ROOT + ".pages..", ROOT + ".joinlink..", ROOT + ".history..");
		rule.check(classes);
	}

	@Test
	void storesDependOnlyOnTheDomainAndEachOthersSharedParts() {
		ArchRule rule = noClasses().that()
			.resideInAnyPackage(ROOT + ".store.file..", ROOT + ".store.memory..", ROOT + ".store.redis..",
					ROOT + ".store.local..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ROOT + ".live..", ROOT + ".lifecycle..", ROOT + ".admin..", ROOT + ".ops..",
					ROOT + ".pages..", ROOT + ".joinlink..", ROOT + ".history..");
		rule.check(classes);
	}

	@Test
	void oneStoreNeverReachesIntoAnother() {
		noClasses().that()
			.resideInAPackage(ROOT + ".store.redis..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ROOT + ".store.file..", ROOT + ".store.memory..", ROOT + ".store.local..")
			.check(classes);
		noClasses().that()
			.resideInAnyPackage(ROOT + ".store.file..", ROOT + ".store.memory..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ROOT + ".store.redis..")
			.check(classes);
	}

	@Test
	void theLiveFeatureIsUsedByNoStore() {
		noClasses().that()
			.resideInAPackage(ROOT + ".live.websocket..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(featurePackages())
			.check(classes);
	}

	private static String[] featurePackages() {
		return new String[] { ROOT + ".room..", ROOT + ".store..", ROOT + ".live", ROOT + ".lifecycle..",
				ROOT + ".admin..", ROOT + ".ops..", ROOT + ".pages..", ROOT + ".joinlink..", ROOT + ".history.." };
	}

}
