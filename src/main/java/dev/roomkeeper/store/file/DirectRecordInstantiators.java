package dev.roomkeeper.store.file;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.deser.ValueInstantiators;
import tools.jackson.databind.deser.std.StdValueInstantiator;
import tools.jackson.databind.introspect.AnnotatedConstructor;
import tools.jackson.databind.module.SimpleModule;

/**
 * Makes Jackson call the constructors of records ({@code Room}, {@code Member} and the
 * records inside a room) through reflection instead of
 * {@code MethodHandle.invokeWithArguments}, which looks up and adapts a spreading invoker
 * on every call: with ~5 records per room that was the costliest step of reading a small
 * room. Everything else is Jackson's own: which constructor, which arguments, their
 * defaults and checks. A constructor that throws is called again the way Jackson calls
 * it, so what fails, and with which exception, is unchanged.
 */
final class DirectRecordInstantiators implements ValueInstantiators {

	/** A module that installs them. */
	static JacksonModule module() {
		return new SimpleModule("direct-record-instantiators") {

			@Override
			public void setupModule(SetupContext context) {
				super.setupModule(context);
				context.addValueInstantiators(new DirectRecordInstantiators());
			}

		};
	}

	@Override
	public ValueInstantiator findValueInstantiator(DeserializationConfig config, BeanDescription.Supplier bean) {
		return null;
	}

	@Override
	public ValueInstantiator modifyValueInstantiator(DeserializationConfig config, BeanDescription.Supplier bean,
			ValueInstantiator instantiator) {
		if (bean.isRecordType() && instantiator.getClass() == StdValueInstantiator.class
				&& instantiator.getWithArgsCreator() instanceof AnnotatedConstructor creator
				&& creator.getAnnotated().trySetAccessible()) {
			return new Direct((StdValueInstantiator) instantiator, creator.getAnnotated());
		}
		return instantiator;
	}

	private static final class Direct extends StdValueInstantiator {

		private final Constructor<?> constructor;

		Direct(StdValueInstantiator jackson, Constructor<?> constructor) {
			super(jackson);
			this.constructor = constructor;
		}

		@Override
		public Object createFromObjectWith(DeserializationContext context, Object[] args) {
			try {
				return this.constructor.newInstance(args);
			}
			catch (InvocationTargetException | InstantiationException | IllegalAccessException
					| IllegalArgumentException ex) {
				// Jackson's own call, and its exception
				return super.createFromObjectWith(context, args);
			}
		}

	}

}
