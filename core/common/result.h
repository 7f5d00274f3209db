#pragma once

// Result<T>: a value or an Error, for every fallible core API.
// Errors cross threads as data; library exceptions are caught at the connector boundary.

#include <QString>
#include <optional>
#include <utility>
#include <variant>

namespace weir {

enum class ErrorCode
{
    Invalid,   // bad input or configuration: never retried
    NotFound,  // a file, table or entry that should exist does not
    Io,        // reading or writing failed
    Transient, // worth retrying: busy database, unreachable server
    Permanent, // the node cannot go on
    Cancelled, // a stop was requested
};

struct Error
{
    ErrorCode code = ErrorCode::Permanent;
    QString message;
    QString nodeId; // empty when not about one node

    bool isTransient() const { return code == ErrorCode::Transient; }
    // "node 'x': message" when the node is known.
    QString describe() const;
};

inline Error makeError(ErrorCode code, QString message, QString nodeId = {})
{
    return Error{code, std::move(message), std::move(nodeId)};
}

template<typename T> class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_data(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }
    T &value() & { return std::get<0>(m_data); }
    const T &value() const & { return std::get<0>(m_data); }
    // By value: `for (x : f().value())` would otherwise iterate a destroyed temporary.
    T value() && { return std::get<0>(std::move(m_data)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const Error &error() const { return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

template<> class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

} // namespace weir
