package dev.roomkeeper.system;

import java.lang.reflect.Type;

import tools.jackson.databind.JsonNode;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Checks every JSON request body of the REST API as Spring MVC reads it (the controllers
 * take bodies as {@link JsonNode}): a lone UTF-16 surrogate in any string or field name
 * answers {@code invalid-request} naming the field
 * ({@link JsonFields#rejectLoneSurrogates}), before any controller sees the body.
 */
@ControllerAdvice
class LoneSurrogateBodyAdvice extends RequestBodyAdviceAdapter {

	@Override
	public boolean supports(MethodParameter methodParameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) {
		return JsonNode.class.isAssignableFrom(methodParameter.getParameterType());
	}

	@Override
	public Object afterBodyRead(Object body, HttpInputMessage inputMessage, MethodParameter parameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) {
		JsonFields.rejectLoneSurrogates((JsonNode) body);
		return body;
	}

}
