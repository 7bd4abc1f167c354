package dev.roomkeeper.pages;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The browser pages. They are static files under {@code static/} (plain HTML, CSS and ES
 * modules, no build step, nothing loaded from another site): {@code GET /} is the lobby
 * ({@code index.html}, Spring Boot's welcome page) and {@code GET /r/{code}} the room
 * page ({@code room.html}) for any code: the page itself asks the API about the room, so
 * an unknown code gets a friendly "no such room" there, counted as a failed look-up like
 * any other. Both use the public client module {@code /js/roomkeeper.js}.
 */
@Controller
class PageController {

	@GetMapping("/r/{code}")
	String room(@PathVariable String code) {
		return "forward:/room.html";
	}

}
