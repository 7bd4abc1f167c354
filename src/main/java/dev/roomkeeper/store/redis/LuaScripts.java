package dev.roomkeeper.store.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The store's Lua scripts, read once from this package's resources.
 * <p>
 * A script built on a {@code ResourceScriptSource} asks its resource whether it changed
 * on every call; inside a jar that question is answered by a thrown and caught
 * {@code FileNotFoundException}, which cost a tenth of a server's CPU on the broadcast
 * path. The scripts never change while the server runs, so their text is kept.
 */
final class LuaScripts {

	private LuaScripts() {
	}

	/**
	 * The script in resource {@code name} (next to this class) with this result type.
	 * @throws UncheckedIOException if the resource cannot be read (a broken build)
	 */
	static <T> RedisScript<T> load(String name, Class<T> resultType) {
		return load(resultType, name);
	}

	/**
	 * One script made of the resources {@code names} (next to this class), in order: a
	 * script cannot include another, so functions that several scripts share live in a
	 * resource put in front of each.
	 * @throws UncheckedIOException if a resource cannot be read (a broken build)
	 */
	static <T> RedisScript<T> load(Class<T> resultType, String... names) {
		StringBuilder text = new StringBuilder();
		for (String name : names) {
			try {
				text.append(new ClassPathResource(name, LuaScripts.class).getContentAsString(StandardCharsets.UTF_8))
					.append('\n');
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read the Lua script " + name, ex);
			}
		}
		return RedisScript.of(text.toString(), resultType);
	}

}
