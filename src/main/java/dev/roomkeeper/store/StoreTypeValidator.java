package dev.roomkeeper.store;

import java.util.Locale;
import java.util.Set;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

import dev.roomkeeper.room.StoreStartupException;

/** Refuses to start with a {@code rooms.store.type} that names no store. */
class StoreTypeValidator implements BeanFactoryPostProcessor, EnvironmentAware {

	static final Set<String> TYPES = Set.of("file", "memory", "redis");

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		String type = this.environment.getProperty(StoreConfiguration.TYPE, "file");
		if (!TYPES.contains(type)) {
			throw new StoreStartupException("Unknown rooms.store.type '" + type.toLowerCase(Locale.ROOT)
					+ "': use file (the default), memory or redis");
		}
	}

}
