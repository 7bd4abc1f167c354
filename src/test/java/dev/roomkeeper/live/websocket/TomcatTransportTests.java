package dev.roomkeeper.live.websocket;

import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TomcatTransportTests {

	@Test
	void platformThreadsKeepADirectBufferOfTheirOwn() throws Exception {
		AtomicBoolean virtual = new AtomicBoolean(true);
		Thread thread = new Thread(() -> virtual.set(TomcatTransport.isVirtual(Thread.currentThread())));
		thread.start();
		thread.join();

		assertThat(TomcatTransport.isVirtual(Thread.currentThread())).isFalse();
		assertThat(virtual).isFalse();
	}

	/**
	 * On a JVM with virtual threads (21+), one is told apart; Java 17 has none to tell.
	 */
	@Test
	void virtualThreadsAreToldApartWhereTheJvmHasThem() throws Exception {
		Method ofVirtual;
		try {
			ofVirtual = Thread.class.getMethod("ofVirtual");
		}
		catch (NoSuchMethodException ex) {
			assertThat(Runtime.version().feature()).isLessThan(21);
			return;
		}
		Object builder = ofVirtual.invoke(null);
		AtomicBoolean virtual = new AtomicBoolean();
		Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
		Thread thread = (Thread) start.invoke(builder,
				(Runnable) () -> virtual.set(TomcatTransport.isVirtual(Thread.currentThread())));
		thread.join();

		assertThat(virtual).isTrue();
	}

}
