package dev.roomkeeper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Roomkeeper: realtime rooms that survive restarts.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RoomkeeperApplication {

	public static void main(String[] args) {
		SigtermExit.installIfRequested();
		SpringApplication.run(RoomkeeperApplication.class, args);
	}

}
