package admin

import "github.com/gin-gonic/gin"

func (a *Console) editorsRoutes(g *gin.RouterGroup) {}
