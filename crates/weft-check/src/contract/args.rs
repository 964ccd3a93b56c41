//! How a declared activity receives its arguments.
//!
//! Declarations do not change what a call sends: the arguments are a JSON
//! list, positional ones first and, when the call had named arguments, one
//! object of them last (`F(a, x: 1)` sends `[a, {"x": 1}]`). A worker (or
//! the server's HTTP binding) that knows the declaration reads them back
//! by [`bind`]:
//!
//! 1. If the last element is an object whose keys all name parameters at
//!    or after its own position, and together with the elements before it
//!    every required parameter is given, the call was `F(positional...,
//!    name: value...)`: the elements before it fill the first parameters
//!    and its fields the named ones.
//! 2. Otherwise every element fills the parameter at its position.
//!
//! The one ambiguous case is a positional object argument whose keys are
//! all names of the parameters from its own position on (`Create({pet:
//! p})` for `activity Create(pet: Pet)`): it reads as named. Pass such a
//! value by name (`Create(pet: {pet: p})`) to be unambiguous.

use serde_json::{Map, Value};

/// A parameter as binding sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// Its name.
    pub name: String,
    /// A call may leave it out.
    pub optional: bool,
}

/// The arguments of a call, by parameter name, in parameter order. A
/// parameter left out is absent. Fails when `args` is not a list, has more
/// elements than there are parameters, or misses a required parameter.
pub fn bind(params: &[Param], args: &Value) -> Result<Vec<(String, Value)>, String> {
    let Value::Array(items) = args else {
        return Err(format!("the arguments are not a list: {args}"));
    };
    let required_covered = |given: &dyn Fn(usize, &Param) -> bool| {
        params
            .iter()
            .enumerate()
            .all(|(i, p)| p.optional || given(i, p))
    };
    if let Some((Value::Object(named), positional)) = items.split_last() {
        let k = positional.len();
        let keys_fit = named
            .keys()
            .all(|key| params.iter().skip(k).any(|p| &p.name == key));
        if k < params.len()
            && keys_fit
            && required_covered(&|i, p| i < k || named.contains_key(&p.name))
        {
            let mut out = Vec::new();
            for (i, p) in params.iter().enumerate() {
                if i < k {
                    out.push((p.name.clone(), positional[i].clone()));
                } else if let Some(v) = named.get(&p.name) {
                    out.push((p.name.clone(), v.clone()));
                }
            }
            return Ok(out);
        }
    }
    if items.len() > params.len() {
        return Err(format!(
            "{} arguments were given; the activity takes {}",
            items.len(),
            params.len()
        ));
    }
    if let Some(missing) = params
        .iter()
        .enumerate()
        .find(|(i, p)| !p.optional && *i >= items.len())
    {
        return Err(format!("the argument `{}` is missing", missing.1.name));
    }
    Ok(params
        .iter()
        .zip(items)
        .map(|(p, v)| (p.name.clone(), v.clone()))
        .collect())
}

/// [`bind`]'s result as a JSON object.
pub fn bind_object(params: &[Param], args: &Value) -> Result<Map<String, Value>, String> {
    Ok(bind(params, args)?.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params(spec: &[(&str, bool)]) -> Vec<Param> {
        spec.iter()
            .map(|(n, o)| Param {
                name: n.to_string(),
                optional: *o,
            })
            .collect()
    }

    #[test]
    fn positional_named_and_mixed() {
        let p = params(&[("card", false), ("amount", false), ("note", true)]);
        let obj = |a: Value| Value::Object(bind_object(&p, &a).unwrap());
        assert_eq!(obj(json!([1, 2])), json!({"card": 1, "amount": 2}));
        assert_eq!(
            obj(json!([1, {"amount": 2}])),
            json!({"card": 1, "amount": 2})
        );
        assert_eq!(
            obj(json!([{"card": 1, "amount": 2, "note": "x"}])),
            json!({"card": 1, "amount": 2, "note": "x"})
        );
        // An object that is not a set of named arguments is positional.
        assert_eq!(
            obj(json!([{"number": "4242"}, 5])),
            json!({"card": {"number": "4242"}, "amount": 5})
        );
        assert!(bind(&p, &json!([1])).unwrap_err().contains("`amount`"));
        assert!(bind(&p, &json!([1, 2, 3, 4])).is_err());
        assert!(bind(&p, &json!({"card": 1})).is_err());
    }
}
