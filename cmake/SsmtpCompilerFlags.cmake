# Warnings and sanitizers shared by every target of the project.
add_library(ssmtp_compile_options INTERFACE)
target_compile_options(ssmtp_compile_options INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Wunused -Woverloaded-virtual
    -Wformat=2)
if(SSMTP_WARNINGS_AS_ERRORS)
    target_compile_options(ssmtp_compile_options INTERFACE -Werror)
endif()
target_compile_definitions(ssmtp_compile_options INTERFACE
    QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_NO_URL_CAST_FROM_STRING
    QT_NO_CAST_FROM_BYTEARRAY QT_USE_QSTRINGBUILDER QT_NO_KEYWORDS
    QT_DISABLE_DEPRECATED_BEFORE=0x060400)
if(SSMTP_SANITIZE)
    target_compile_options(ssmtp_compile_options INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(ssmtp_compile_options INTERFACE -fsanitize=address,undefined)
endif()
