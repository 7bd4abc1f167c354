/**
 * The browser experience: the lobby ({@code /}), the room page ({@code /r/{code}}) and
 * the client module ({@code /js/roomkeeper.js}), all static files under {@code static/},
 * plus what browsers on other origins need (CORS).
 */
package dev.roomkeeper.pages;
